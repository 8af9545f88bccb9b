package scenario

import "io"

// Exporter writes a scenario in another program's file format.
type Exporter struct {
	Name        string `json:"name"`
	Desc        string `json:"-"`
	ContentType string `json:"content_type"`
	Ext         string `json:"ext"`
	// Write writes sc; issue names the issue of one-issue formats (bdm).
	Write func(w io.Writer, sc *Scenario, issue string) error `json:"-"`
}

// Exporters lists the foreign formats a scenario can be written in, as
// 'parley export' and the server's export offer them; a new format is one
// more entry. Fields a format cannot hold (sources, evidence, anchors,
// issue scales; in KTAB's formats, which give an actor one capability, the
// capabilities actors have of their own on single issues) are dropped;
// Parse reads every format back.
var Exporters = []Exporter{
	{"ktab", "KTAB CSV (name line, header, one line per actor; 0–100 scales)", "text/csv", "csv",
		func(w io.Writer, sc *Scenario, _ string) error { return WriteKTABCSV(w, sc) }},
	{"ktab-xml", "KTAB XML, with the scenario's KTAB model parameters, seed and ideal adjustments", "application/xml", "xml",
		func(w io.Writer, sc *Scenario, _ string) error { return WriteKTABXML(w, sc) }},
	{"decide", "Decide exchange-model input (#A, #P, #M, #D rows; saliences on 0–1, capability as power)", "text/tab-separated-values", "txt",
		func(w io.Writer, sc *Scenario, _ string) error { return WriteDecide(w, sc) }},
	{"bdm", "BDM CSV (Actor,Capability,Position,Salience) of one issue (--issue)", "text/csv", "csv",
		WriteBDMCSV},
}
