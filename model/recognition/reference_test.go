package recognition

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// The reference data set: 12 clusters of 30 subjects followed for up to 40
// months, simulated once from the model (eq. 1–2) with θ = refTheta by
// writeReference (go test -run TestReferenceGlmer -update rewrites it).
// The same file was fitted with R's lme4 (version 1.1-35, Debian package
// r-cran-lme4) as
//
//	glmer(event ~ 0 + factor(piece) + x1 + … + x10 + peer + offset(log(expo)) + (1 | cluster),
//	      family = binomial(link = "cloglog"), nAGQ = 25)
//
// and its estimates are refGlmer below: lme4 integrates the cluster effect
// by adaptive Gauss–Hermite quadrature, Parley by 30 fixed nodes, so the
// two maximise the same likelihood by different numerics.
const referenceFile = "testdata/reference-cloglog.csv"

var refTheta = []float64{-3, -3.5, -4, -4.5, -5, 0.5, -0.5, 0.3, 0, 0.2, -0.2, 0.4, -0.3, 0.1, 0.25, 0.6, math.Log(0.7)}

func writeReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(2024, 12))
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	header := []string{"cluster", "subject", "month", "piece", "expo", "peer", "event"}
	for j := 1; j <= nCov; j++ {
		header = append(header, fmt.Sprintf("x%d", j))
	}
	w.Write(header)
	sigma := math.Exp(refTheta[pSigma])
	for c := range 12 {
		u := sigma * rng.NormFloat64()
		for s := range 30 {
			var x [nCov]float64
			for j := range x {
				x[j] = math.Round(rng.NormFloat64()*100) / 100
			}
			for m := 1; m <= 40; m++ {
				expo := 1.0
				if m == 1 {
					expo = 0.5
				}
				peer := math.Round(rng.Float64()*100) / 100
				eta := refTheta[pBase+piece(m)] + refTheta[pPeer]*peer + u + math.Log(expo)
				for j := range x {
					eta += refTheta[pCov+j] * x[j]
				}
				ev := rng.Float64() < -math.Expm1(-math.Exp(eta))
				row := []string{strconv.Itoa(c + 1), strconv.Itoa(s + 1), strconv.Itoa(m), strconv.Itoa(piece(m) + 1),
					strconv.FormatFloat(expo, 'g', -1, 64), strconv.FormatFloat(peer, 'g', -1, 64), map[bool]string{true: "1", false: "0"}[ev]}
				for j := range x {
					row = append(row, strconv.FormatFloat(x[j], 'g', -1, 64))
				}
				w.Write(row)
				if ev {
					break
				}
			}
		}
	}
	w.Flush()
	if err := os.WriteFile(referenceFile, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readReference builds a Dataset from the reference file, one episode per
// cluster.
func readReference(t *testing.T) *Dataset {
	data, err := os.ReadFile(referenceFile)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ds := &Dataset{}
	subj := map[[2]string]int32{}
	for _, r := range rows[1:] {
		c, _ := strconv.Atoi(r[0])
		for len(ds.eps) < c {
			ds.eps = append(ds.eps, epData{id: fmt.Sprint(len(ds.eps) + 1)})
		}
		e := &ds.eps[c-1]
		k, ok := subj[[2]string{r[0], r[1]}]
		if !ok {
			var x [nCov]float64
			for j := range x {
				x[j], _ = strconv.ParseFloat(r[7+j], 64)
			}
			k = int32(len(e.x))
			e.x = append(e.x, x)
			subj[[2]string{r[0], r[1]}] = k
		}
		p, _ := strconv.Atoi(r[3])
		expo, _ := strconv.ParseFloat(r[4], 64)
		peer, _ := strconv.ParseFloat(r[5], 64)
		if r[6] == "1" {
			e.es, e.epiece, e.epeer, e.eexpo = append(e.es, k), append(e.epiece, int8(p-1)), append(e.epeer, peer), append(e.eexpo, expo)
		} else {
			e.rs, e.rpiece, e.rpeer, e.rexpo = append(e.rs, k), append(e.rpiece, int8(p-1)), append(e.rpeer, peer), append(e.rexpo, expo)
		}
	}
	return ds
}
