package chart_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/parley-project/parley/report/chart"
)

// Draw a short series with a band to standard output.
func ExampleBand_WriteSVG() {
	c := chart.Band{Title: "Example", YLabel: "count"}
	for i := range 3 {
		c.X = append(c.X, time.Date(2008+i, 12, 31, 0, 0, 0, 0, time.UTC))
		c.Y = append(c.Y, float64(10*(i+1)))
		c.Lo = append(c.Lo, float64(10*(i+1)-5))
		c.Hi = append(c.Hi, float64(10*(i+1)+5))
	}
	var svg strings.Builder
	if err := c.WriteSVG(&svg); err != nil {
		fmt.Println(err)
		return
	}
	first, _, _ := strings.Cut(svg.String(), "\n")
	fmt.Println(first)
	fmt.Println(strings.Count(svg.String(), "<polyline"), "line,", strings.Count(svg.String(), "<polygon"), "band")
	fmt.Println("y ticks:", chart.NiceTicks(0, 35, 6))
	// Output:
	// <svg xmlns="http://www.w3.org/2000/svg" width="800" height="450" viewBox="0 0 800 450" font-family="Helvetica, Arial, sans-serif" font-size="13">
	// 1 line, 1 band
	// y ticks: [0 10 20 30 40]
}
