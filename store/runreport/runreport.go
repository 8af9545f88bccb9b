// Package runreport reads a run kept in a results store as an HTML report
// (package report), the same way for 'parley report' and the server's
// /runs/{id}/report. It is the glue between the two packages: report
// itself does not import store, which would bring in its database drivers.
package runreport

import (
	"fmt"

	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/store"
)

// Page decodes the stored run r (its scenario snapshot and result
// document) into the page its HTML report shows.
func Page(r *store.Run) (*report.Page, error) {
	info := report.RunInfo{ID: r.ID, Kind: r.Kind, Status: r.Status, Model: r.Model, Variant: r.Variant,
		Params: r.Params, Seed: r.Seed, CodeVersion: r.CodeVersion, Created: r.Created}
	page, err := report.Decode(info, r.Snapshot, r.Result)
	if err != nil {
		return nil, fmt.Errorf("run %d: %w", r.ID, err)
	}
	return page, nil
}
