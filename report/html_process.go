package report

// stageView is one stage of a process run in the page's list.
type stageView struct {
	Name, Detail string
	// Final marks the stage where the process ended.
	Final bool
}

// processViews draws a process run's timeline and the recognition curve
// of a process or recognition run.
func (v *view) processViews(p *Page) {
	rec := p.Recognition
	if pr := p.Process; pr != nil {
		for i, st := range pr.Stages {
			v.Stages = append(v.Stages, stageView{Name: stageName(st), Detail: stageDetail(st), Final: i == len(pr.Stages)-1})
		}
		if len(pr.Stages) > 0 {
			v.Timeline = chartHTML(TimelineChart(pr))
		}
		rec = pr.Recognition
	}
	if rec != nil {
		if c, err := RecognitionChart(rec); err == nil {
			v.RecChart = chartHTML(c.LineChart)
		}
	}
}
