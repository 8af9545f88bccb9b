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
// The same file was fitted with R's lme4 (version 1.1-31, Debian package
// r-cran-lme4, optimizer bobyqa) as
//
//	glmer(event ~ 0 + factor(piece) + x1 + … + x10 + peer + offset(log(expo)) + (1 | cluster),
//	      family = binomial(link = "cloglog"), nAGQ = 25)
//
// and its estimates are refGlmer below: both integrate the cluster effect
// by 25-node adaptive Gauss–Hermite quadrature, lme4 optimising with
// bobyqa and Parley with BFGS, so the two maximise the same likelihood by
// different numerics.
const referenceFile = "testdata/reference-cloglog.csv"

// refTheta is the simulating θ: 5 pieces, refCovs coefficients, the peer
// effect and log σ. The file has refCovs covariates; the model's later
// covariates (unsc) are 0 in it, so their coefficients rest on the prior.
var refTheta = []float64{-3, -3.5, -4, -4.5, -5, 0.5, -0.5, 0.3, 0, 0.2, -0.2, 0.4, -0.3, 0.1, 0.25, 0.6, math.Log(0.7)}

const refCovs = 10

// refIndex maps an index of refTheta or refGlmerEst (pieces, refCovs
// covariates, peer, log σ) to the model's parameter index.
func refIndex(i int) int {
	if i < pCov+refCovs {
		return i
	}
	return pPeer + i - (pCov + refCovs)
}

func writeReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(2024, 12))
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	header := []string{"cluster", "subject", "month", "piece", "expo", "peer", "event"}
	for j := 1; j <= refCovs; j++ {
		header = append(header, fmt.Sprintf("x%d", j))
	}
	w.Write(header)
	sigma := math.Exp(refTheta[len(refTheta)-1])
	peerCoef := refTheta[len(refTheta)-2]
	for c := range 12 {
		u := sigma * rng.NormFloat64()
		for s := range 30 {
			var x [refCovs]float64
			for j := range x {
				x[j] = math.Round(rng.NormFloat64()*100) / 100
			}
			for m := 1; m <= 40; m++ {
				expo := 1.0
				if m == 1 {
					expo = 0.5
				}
				peer := math.Round(rng.Float64()*100) / 100
				eta := refTheta[pBase+piece(m)] + peerCoef*peer + u + math.Log(expo)
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
			for j := range refCovs {
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

// refGlmer is lme4's fit of the reference file: the fixed effects in the
// order of ParamNames (pieces, covariates, peer), their standard errors,
// the cluster standard deviation σ and the log-likelihood.
var (
	refGlmerEst    = []float64{-3.224100, -3.567900, -3.911490, -4.371340, -5.063518, 0.404649, -0.617115, 0.362618, 0.125119, 0.243557, -0.140052, 0.342355, -0.292916, 0.092464, 0.224182, 0.453950}
	refGlmerSE     = []float64{0.330438, 0.262972, 0.222524, 0.221492, 0.532670, 0.076540, 0.083360, 0.078947, 0.080431, 0.071258, 0.078845, 0.083129, 0.072974, 0.079018, 0.077876, 0.251861}
	refGlmerSigma  = 0.423141
	refGlmerLogLik = -818.462508
)

// TestReferenceGlmer fits the reference file and compares with lme4: the
// estimates within 0.002, the standard errors within 2%, σ within 0.005 and
// the log-likelihood within 0.01.
func TestReferenceGlmer(t *testing.T) {
	if *update {
		writeReference(t)
	}
	f, err := FitModel(readReference(t))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range refGlmerEst {
		i := refIndex(k)
		if math.Abs(f.Estimate[i]-want) > 0.002 {
			t.Errorf("%s: %.6f, lme4 %.6f", ParamNames[i], f.Estimate[i], want)
		}
		if math.Abs(f.SE[i]/refGlmerSE[k]-1) > 0.02 {
			t.Errorf("%s: SE %.6f, lme4 %.6f", ParamNames[i], f.SE[i], refGlmerSE[k])
		}
	}
	// unsc is 0 throughout the file: its estimate is the prior's mean and
	// its standard error the prior's.
	if b, se := f.Value("unsc"), f.SE[pCov+cUNSC]; math.Abs(b) > 1e-6 || math.Abs(se-UNSCPriorSD) > 1e-3 {
		t.Errorf("unsc: %.6f (SE %.6f), want 0 (%.1f) from the prior alone", b, se, UNSCPriorSD)
	}
	if s := math.Exp(f.Value("log_sigma")); math.Abs(s-refGlmerSigma) > 0.005 {
		t.Errorf("σ %.6f, lme4 %.6f", s, refGlmerSigma)
	}
	if math.Abs(f.LogLik-refGlmerLogLik) > 0.01 {
		t.Errorf("log-likelihood %.6f, lme4 %.6f", f.LogLik, refGlmerLogLik)
	}
}
