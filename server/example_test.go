package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/parley-project/parley/server"
	"github.com/parley-project/parley/store"
)

// A server answers the API in process; here a forecast of the built-in
// emission-1994 scenario with the weighted-mean model, the 7.39 that
// `parley forecast --model mean emission-1994` prints.
func ExampleNew() {
	dir, _ := os.MkdirTemp("", "parley-example")
	defer os.RemoveAll(dir)
	st, err := store.Open(context.Background(), filepath.Join(dir, "parley.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	srv, err := server.New(server.Config{Store: st})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "http://localhost:8080/api/v1/runs/forecast",
		strings.NewReader(`{"scenario": "emission-1994", "model": "mean"}`))
	req.Header.Set("Content-Type", "application/json")
	srv.ServeHTTP(rec, req)
	var run struct {
		ID     int64 `json:"id"`
		Result struct {
			Issues []struct {
				ID       string  `json:"id"`
				Forecast float64 `json:"forecast"`
			} `json:"issues"`
		} `json:"result"`
	}
	json.Unmarshal(rec.Body.Bytes(), &run)
	fmt.Println(rec.Code, "run", run.ID)
	for _, is := range run.Result.Issues {
		fmt.Printf("%s: %.2f\n", is.ID, is.Forecast)
	}
	// Output:
	// 201 run 1
	// issue: 7.39
}
