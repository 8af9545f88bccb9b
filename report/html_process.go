package report

// processViews lays out a process run's timeline and tables, and the
// recognition curve and tables of a process or recognition run.
func (v *view) processViews(p *Page) {
	rec := p.Recognition
	if pr := p.Process; pr != nil {
		t := NewProcessTables(p.Scenario, pr)
		v.Process = &t
		if len(pr.Events) > 0 {
			v.Timeline = chartHTML(TimelineChart(pr))
		}
		rec = pr.Recognition
	}
	if rec != nil {
		if c, err := RecognitionChart(rec); err == nil {
			v.RecChart = chartHTML(c.LineChart)
		}
		years, states := RecognitionYears(rec), RecognitionStates(rec)
		v.RecYears, v.RecStates = &years, &states
		if p.Recognition != nil {
			v.RecSettings = recognitionLines(rec)
		}
	}
}
