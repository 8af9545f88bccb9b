package recognition

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"github.com/parley-project/parley/model/recognition/episodes"
)

// The discrete-time hazard (docs/models/recognition.md §1). State i of
// episode e that has not recognised by the end of month t−1 recognises in
// month t with probability
//
//	h_eit = 1 − exp(−exp(η_eit)),                                    (eq. 1)
//	η_eit = α_{p(t)} + x_ei·β + γ·peer_ei(t−1) + u_e + log ε_et,      (eq. 2)
//
// the complementary log-log link, the grouped-time form of the
// proportional hazards model (Prentice & Gloeckler 1978; Allison 1982),
// where p(t) is the piece of the baseline (pieces), x_ei the static
// covariates (Covariates), peer the share of the state's UN regional group
// that had recognised by the end of the previous month (Strang 1991;
// Simmons & Elkins 2004), ε_et the share of month t inside the episode's
// window (the exposure offset) and u_e ~ N(0, σ²) the episode's random
// effect (a shared frailty; Hedeker, Siddiqui & Hu 2000).

// Pieces of the piecewise-constant baseline, in months since the
// declaration (month 1 holds the declaration).
var pieces = [][2]int{{1, 1}, {2, 3}, {4, 12}, {13, 36}, {37, math.MaxInt32}}

const nPieces = 5

// Parameter indices of the vector θ = (α, β, γ, log σ).
const (
	pBase  = 0
	pCov   = nPieces
	pPeer  = nPieces + nCov
	pSigma = pPeer + 1
	nPar   = pSigma + 1
)

// ParamNames names the model's parameters in the order of Fit.Estimate.
var ParamNames = func() []string {
	names := []string{"base_m1", "base_m2_3", "base_m4_12", "base_m13_36", "base_m37"}
	names = append(names, Covariates...)
	return append(names, "peer", "log_sigma")
}()

func piece(month int) int {
	for k, p := range pieces {
		if month >= p[0] && month <= p[1] {
			return k
		}
	}
	return nPieces - 1
}

// UNSCPriorSD is the standard deviation of the normal prior N(0, 2.5²) on
// the coefficient of unsc. The covariate is constant within an episode
// and non-zero in only two (Rhodesia, whose only patrons never
// recognised, and the TRNC, where only the patron did): left out of the
// fit, either one leaves the other to say that the covariate predicts no
// recognition at all, and the likelihood then rises without bound as the
// coefficient falls (separation; Albert & Anderson 1984, Zorn 2005). A
// weakly informative prior keeps the estimate finite and its uncertainty
// honest (the scale 2.5 of Gelman, Jakulin, Pittau & Su 2008 for a
// binary input). The covariate was added after a first backtest missed
// the TRNC (docs/models/recognition.md §4); the prior's scale was fixed
// before the second run and not tuned on it. The other coefficients are
// plain maximum likelihood.
const UNSCPriorSD = 2.5

// logPrior is the log prior density (up to a constant) of the penalised
// coefficients at θ, added to grad when grad is not nil.
func logPrior(theta, grad []float64) float64 {
	b := theta[pCov+cUNSC]
	if grad != nil {
		grad[pCov+cUNSC] -= b / (UNSCPriorSD * UNSCPriorSD)
	}
	return -b * b / (2 * UNSCPriorSD * UNSCPriorSD)
}

// GHNodes is the number of adaptive Gauss–Hermite nodes that integrate
// the episode effect out of the likelihood.
const GHNodes = 25

// Fit is a fitted model: the maximum-likelihood estimate, its covariance
// (the inverse of the observed information) and the data it came from.
type Fit struct {
	Names    []string    `json:"names"`
	Estimate []float64   `json:"estimate"`
	SE       []float64   `json:"se"`
	Cov      [][]float64 `json:"cov"`
	// LogLik is the marginal log-likelihood at the estimate; LogPrior the
	// log prior of unsc there (UNSCPriorSD). The estimate maximises their
	// sum, and Cov inverts the curvature of the sum.
	LogLik   float64  `json:"loglik"`
	LogPrior float64  `json:"logprior"`
	Episodes []string `json:"episodes"`
	// StateMonths and Events count the rows and recognitions fitted.
	StateMonths int `json:"state_months"`
	Events      int `json:"events"`
	// Iterations and Evaluations are the optimiser's.
	Iterations  int `json:"iterations"`
	Evaluations int `json:"evaluations"`
}

// Value returns the estimate of the named parameter.
func (f *Fit) Value(name string) float64 {
	return f.Estimate[slices.Index(f.Names, name)]
}

// epData is one episode's rows for the likelihood.
type epData struct {
	id string
	x  [][nCov]float64 // per at-risk state
	// Non-event state-months: state, baseline piece, peer share, exposure.
	rs     []int32
	rpiece []int8
	rpeer  []float64
	rexpo  []float64
	// Event state-months (the month of recognition).
	es     []int32
	epiece []int8
	epeer  []float64
	eexpo  []float64
}

// Dataset is the episodes prepared for fitting.
type Dataset struct {
	eps []epData
}

// Window is an episode's observation window in calendar months.
type Window struct {
	Start, End time.Time
	// Months is the number of calendar months from Start's to End's.
	Months int
	// Expo[t-1] is the share of month t inside the window.
	Expo []float64
	// MonthEnd[t-1] is the last day of month t (End for the last month).
	MonthEnd []time.Time
}

// NewWindow returns the months from start to end.
func NewWindow(start, end time.Time) Window {
	w := Window{Start: start, End: end}
	first := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
	for t := 1; ; t++ {
		mEnd := first.AddDate(0, t, -1)
		days := float64(mEnd.Day())
		lo, hi := 1, mEnd.Day()
		if t == 1 {
			lo = start.Day()
		}
		last := !mEnd.Before(end)
		if last {
			hi = end.Day()
			mEnd = end
		}
		w.Expo = append(w.Expo, float64(hi-lo+1)/days)
		w.MonthEnd = append(w.MonthEnd, mEnd)
		if last {
			break
		}
	}
	w.Months = len(w.Expo)
	return w
}

// MonthOf returns the month (1..Months) holding day d, 0 before the start
// and Months+1 after the end.
func (w Window) MonthOf(d time.Time) int {
	if d.Before(w.Start) {
		return 0
	}
	if d.After(w.End) {
		return w.Months + 1
	}
	return (d.Year()-w.Start.Year())*12 + int(d.Month()-w.Start.Month()) + 1
}

// EpisodeCase turns an episode into the case its covariates are computed
// for.
func EpisodeCase(ep *episodes.Episode) Case {
	return Case{ID: ep.ID, Date: ep.Declared, Parent: ep.Parent, Recognising: ep.Recognising, Opposing: ep.Opposing,
		NonRecognition: ep.NonRecognition()}
}

// Observed returns, for each member state, the month of the episode's
// window in which it recognised (0 when it did not within the window).
func Observed(w *World, ep *episodes.Episode, win Window) []int {
	rec := make([]int, len(w.States))
	for _, e := range ep.Events {
		i := w.index[e.State]
		if m := win.MonthOf(e.Recognised.At()); m >= 1 && m <= win.Months {
			rec[i] = m
		}
	}
	return rec
}

// peerShares returns peer[t][i] for t = 1..months: the share of the other
// at-risk members of i's regional group that had recognised by the end of
// month t−1 (eq. 2).
type peerIndex struct {
	group []int // group index per state, -1 not at risk
	size  []int // at-risk states per group
}

func newPeerIndex(states []State, atRisk []bool) peerIndex {
	p := peerIndex{group: make([]int, len(states)), size: make([]int, len(groups))}
	for i, s := range states {
		p.group[i] = -1
		if atRisk[i] {
			g := slices.Index(groups, s.Group)
			p.group[i] = g
			p.size[g]++
		}
	}
	return p
}

// share is the peer share of a state of group g when k of its group had
// recognised.
func (p peerIndex) share(g, k int) float64 {
	if p.size[g] <= 1 {
		return 0
	}
	return float64(k) / float64(p.size[g]-1)
}

// NewDataset builds the state-month rows of the given episodes.
func NewDataset(w *World, eps []*episodes.Episode) (*Dataset, error) {
	ds := &Dataset{}
	for _, ep := range eps {
		d, err := w.Design(EpisodeCase(ep))
		if err != nil {
			return nil, fmt.Errorf("episode %s: %w", ep.ID, err)
		}
		win := NewWindow(ep.Declared, ep.Until)
		rec := Observed(w, ep, win)
		for i, s := range w.States {
			if d.Side[i] == SideOpposing && rec[i] > 0 {
				return nil, fmt.Errorf("episode %s: %s, an opposing patron, recognises within the window; the model treats opposing patrons as never recognising", ep.ID, s.ISO3)
			}
		}
		pi := newPeerIndex(w.States, d.AtRisk)
		// recBy[g][t] = states of group g recognised by the end of month t.
		recBy := make([][]int, len(groups))
		for g := range recBy {
			recBy[g] = make([]int, win.Months+1)
		}
		for i, m := range rec {
			if g := pi.group[i]; g >= 0 && m > 0 {
				for t := m; t <= win.Months; t++ {
					recBy[g][t]++
				}
			}
		}
		e := epData{id: ep.ID}
		for i := range w.States {
			g := pi.group[i]
			if g < 0 {
				continue
			}
			k := int32(len(e.x))
			e.x = append(e.x, d.X[i])
			last := win.Months
			if rec[i] > 0 {
				last = rec[i]
			}
			for t := 1; t <= last; t++ {
				peer := pi.share(g, recBy[g][t-1])
				if t == rec[i] {
					e.es = append(e.es, k)
					e.epiece = append(e.epiece, int8(piece(t)))
					e.epeer = append(e.epeer, peer)
					e.eexpo = append(e.eexpo, win.Expo[t-1])
					continue
				}
				e.rs = append(e.rs, k)
				e.rpiece = append(e.rpiece, int8(piece(t)))
				e.rpeer = append(e.rpeer, peer)
				e.rexpo = append(e.rexpo, win.Expo[t-1])
			}
		}
		ds.eps = append(ds.eps, e)
	}
	return ds, nil
}

// Size returns the number of state-months and of events.
func (ds *Dataset) Size() (rows, events int) {
	for _, e := range ds.eps {
		rows += len(e.rs) + len(e.es)
		events += len(e.es)
	}
	return rows, events
}

var ghX, ghW = func() ([]float64, []float64) {
	x, w := make([]float64, GHNodes), make([]float64, GHNodes)
	quad.Hermite{}.FixedLocations(x, w, math.Inf(-1), math.Inf(1))
	return x, w
}()

// logPost returns the log-likelihood plus the log prior (the function the
// fit maximises) and, when grad is not nil, its gradient.
func (ds *Dataset) logPost(theta, grad []float64) float64 {
	l := ds.logLik(theta, grad)
	return l + logPrior(theta, grad)
}

// logLik returns the marginal log-likelihood at θ and, when grad is not
// nil, its gradient. The random effect is integrated by adaptive
// Gauss–Hermite quadrature: ∫ f(u) φ(u; 0, σ²) du ≈ Σ_k w_k e^{z_k²} √2 ŝ
// f(û + √2 ŝ z_k) φ(û + √2 ŝ z_k; 0, σ²), with û the mode of f·φ and ŝ
// the inverse square root of the curvature of its log there.
func (ds *Dataset) logLik(theta, grad []float64) float64 {
	alpha := theta[pBase : pBase+nPieces]
	beta := theta[pCov : pCov+nCov]
	gamma := theta[pPeer]
	sigma := math.Exp(theta[pSigma])
	if grad != nil {
		clear(grad)
	}
	var ea [nPieces]float64
	for p := range ea {
		ea[p] = math.Exp(alpha[p])
	}
	var total float64
	// Per-episode scratch.
	var dS [nPar]float64    // ∂S/∂θ
	var ll [GHNodes]float64 // ℓ_e(u_k)
	var dl [GHNodes][nPar]float64
	var dlu [GHNodes]float64 // ∂ℓ_e/∂u at u_k
	for ei := range ds.eps {
		e := &ds.eps[ei]
		ns := len(e.x)
		lin := make([]float64, ns) // x·β
		for i := range ns {
			var s float64
			for j, b := range beta {
				s += e.x[i][j] * b
			}
			lin[i] = s
		}
		// S = Σ over non-event rows of exp(η − u).
		A := make([][nPieces]float64, ns) // Σ ε·exp(γ peer) by piece
		B := make([][nPieces]float64, ns) // Σ peer·ε·exp(γ peer) by piece
		for r, i := range e.rs {
			v := e.rexpo[r] * math.Exp(gamma*e.rpeer[r])
			A[i][e.rpiece[r]] += v
			B[i][e.rpiece[r]] += v * e.rpeer[r]
		}
		var S float64
		clear(dS[:])
		for i := range ns {
			ex := math.Exp(lin[i])
			var si, sb float64
			for p := range nPieces {
				a := ex * ea[p] * A[i][p]
				si += a
				dS[pBase+p] += a
				sb += ex * ea[p] * B[i][p]
			}
			S += si
			for j := range nCov {
				dS[pCov+j] += e.x[i][j] * si
			}
			dS[pPeer] += sb
		}
		// Event rows: η without u.
		eta := make([]float64, len(e.es))
		for r, i := range e.es {
			eta[r] = alpha[e.epiece[r]] + lin[i] + gamma*e.epeer[r] + math.Log(e.eexpo[r])
		}
		// Adaptive quadrature (Liu & Pierce 1994; Pinheiro & Bates 1995):
		// the nodes are centred on the mode û of ℓ_e(u) + log φ(u; σ) and
		// scaled by its curvature, because with many states the integrand
		// is far narrower than φ and fixed nodes would miss it.
		uh, sh := mode(S, eta, sigma)
		maxl := math.Inf(-1)
		for k := range GHNodes {
			u := uh + math.Sqrt2*sh*ghX[k]
			eu := math.Exp(u)
			l := -eu * S
			if grad != nil {
				for j := range nPar - 1 {
					dl[k][j] = -eu * dS[j]
				}
			}
			for r := range e.es {
				a := eta[r] + u
				ea := math.Exp(a)
				l += math.Log(-math.Expm1(-ea))
				if grad != nil {
					g := dLogRec(a)
					i := e.es[r]
					dl[k][pBase+int(e.epiece[r])] += g
					for j := range nCov {
						dl[k][pCov+j] += g * e.x[i][j]
					}
					dl[k][pPeer] += g * e.epeer[r]
				}
			}
			// w_k e^{z²} √2 ŝ φ(u_k; 0, σ²) exp(ℓ_e(u_k)).
			ll[k] = l + math.Log(ghW[k]) + ghX[k]*ghX[k] + math.Log(math.Sqrt2*sh) - u*u/(2*sigma*sigma) - math.Log(sigma) - 0.5*math.Log(2*math.Pi)
			dlu[k] = u
			maxl = math.Max(maxl, ll[k])
		}
		var z float64
		for k := range GHNodes {
			z += math.Exp(ll[k] - maxl)
		}
		total += maxl + math.Log(z)
		if grad != nil {
			// The derivative of the integral, by the same nodes: with the
			// nodes held where they are, only ℓ_e and φ depend on θ, and
			// ∂ log φ(u; σ)/∂ log σ = u²/σ² − 1.
			for k := range GHNodes {
				w := math.Exp(ll[k]-maxl) / z
				for j := range nPar - 1 {
					grad[j] += w * dl[k][j]
				}
				grad[pSigma] += w * (dlu[k]*dlu[k]/(sigma*sigma) - 1)
			}
		}
	}
	return total
}

// ErrNotPositiveDefinite is returned when the observed information is not
// positive definite at the optimum, so that no standard errors exist.
var ErrNotPositiveDefinite = errors.New("the observed information is not positive definite at the optimum")

// FitModel maximises the likelihood of the dataset times the prior on unsc
// (UNSCPriorSD) with gonum's BFGS and computes the covariance from the
// observed information, the numerical Jacobian (central differences) of
// the analytic gradient.
func FitModel(ds *Dataset) (*Fit, error) {
	x0 := make([]float64, nPar)
	for p := range nPieces {
		x0[pBase+p] = -6
	}
	prob := optimize.Problem{
		Func: func(x []float64) float64 { return -ds.logPost(x, nil) },
		Grad: func(g, x []float64) {
			ds.logPost(x, g)
			for i := range g {
				g[i] = -g[i]
			}
		},
	}
	set := &optimize.Settings{GradientThreshold: 1e-6, MajorIterations: 2000}
	res, err := optimize.Minimize(prob, x0, set, &optimize.BFGS{})
	if err != nil && res == nil {
		return nil, fmt.Errorf("fitting the recognition model: %w", err)
	}
	// BFGS's line search can fail once the gradient is at rounding level;
	// the optimum is accepted when the gradient is that small.
	g := make([]float64, nPar)
	prob.Grad(g, res.X)
	if gmax := floats.Norm(g, math.Inf(1)); res.Status != optimize.GradientThreshold && gmax > 1e-4 {
		return nil, fmt.Errorf("fitting the recognition model: the optimiser stopped with status %v and gradient %.2g", res.Status, gmax)
	}
	theta := res.X
	H := mat.NewDense(nPar, nPar, nil)
	fd.Jacobian(H, func(y, x []float64) {
		ds.logPost(x, y)
		for i := range y {
			y[i] = -y[i]
		}
	}, theta, &fd.JacobianSettings{Formula: fd.Central, Step: 1e-5})
	sym := mat.NewSymDense(nPar, nil)
	for i := range nPar {
		for j := i; j < nPar; j++ {
			sym.SetSym(i, j, (H.At(i, j)+H.At(j, i))/2)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(sym) {
		return nil, ErrNotPositiveDefinite
	}
	var cov mat.SymDense
	if err := ch.InverseTo(&cov); err != nil {
		return nil, ErrNotPositiveDefinite
	}
	rows, events := ds.Size()
	lp := logPrior(theta, nil)
	f := &Fit{Names: slices.Clone(ParamNames), Estimate: slices.Clone(theta), LogLik: -res.F - lp, LogPrior: lp,
		StateMonths: rows, Events: events, Iterations: res.Stats.MajorIterations, Evaluations: res.Stats.FuncEvaluations + res.Stats.GradEvaluations}
	for _, e := range ds.eps {
		f.Episodes = append(f.Episodes, e.id)
	}
	f.Cov = make([][]float64, nPar)
	f.SE = make([]float64, nPar)
	for i := range nPar {
		f.Cov[i] = make([]float64, nPar)
		for j := range nPar {
			f.Cov[i][j] = cov.At(i, j)
		}
		f.SE[i] = math.Sqrt(cov.At(i, i))
	}
	return f, nil
}

// AllEpisodes returns the embedded episodes, checked against the member
// list.
func AllEpisodes() ([]*episodes.Episode, error) {
	w, err := LoadWorld()
	if err != nil {
		return nil, err
	}
	return episodes.All(w.Known)
}

// FitEpisodes fits the model on the given episodes.
func FitEpisodes(eps []*episodes.Episode) (*Fit, error) {
	w, err := LoadWorld()
	if err != nil {
		return nil, err
	}
	ds, err := NewDataset(w, eps)
	if err != nil {
		return nil, err
	}
	return FitModel(ds)
}

// dLogRec is ∂ log(1 − exp(−e^a))/∂a = x e^{−x}/(1 − e^{−x}), x = e^a
// (→ 1 as x → 0).
func dLogRec(a float64) float64 {
	x := math.Exp(a)
	if x < 1e-8 {
		return 1 - x/2
	}
	return x * math.Exp(-x) / -math.Expm1(-x)
}

// d2LogRec is the derivative of dLogRec in a:
// x e^{−x} (1 − x − e^{−x}) / (1 − e^{−x})² (→ −x/2 as x → 0).
func d2LogRec(a float64) float64 {
	x := math.Exp(a)
	if x < 1e-4 {
		return -x / 2
	}
	em := math.Exp(-x)
	d := -math.Expm1(-x)
	return x * em * (1 - x - em) / (d * d)
}

// mode returns the mode û of g(u) = −e^u S + Σ_r log(1 − exp(−e^{η_r+u}))
// − u²/(2σ²), the log of an episode's integrand, and ŝ = (−g”(û))^{−1/2}.
// g is strictly concave, so Newton's method with step halving converges.
func mode(S float64, eta []float64, sigma float64) (float64, float64) {
	v := sigma * sigma
	g := func(u float64) (f, d1, d2 float64) {
		eu := math.Exp(u)
		f, d1, d2 = -eu*S-u*u/(2*v), -eu*S-u/v, -eu*S-1/v
		for _, a := range eta {
			f += math.Log(-math.Expm1(-math.Exp(a + u)))
			d1 += dLogRec(a + u)
			d2 += d2LogRec(a + u)
		}
		return f, d1, d2
	}
	u := 0.0
	f, d1, d2 := g(u)
	for range 100 {
		step := -d1 / d2
		t := 1.0
		for range 60 {
			fn, _, _ := g(u + t*step)
			if fn >= f-1e-12*math.Abs(f) {
				break
			}
			t /= 2
		}
		u += t * step
		f, d1, d2 = g(u)
		if math.Abs(t*step) < 1e-10 {
			break
		}
	}
	return u, 1 / math.Sqrt(-d2)
}
