package smp

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"math"
)

func quickLoad(t *testing.T, name string) (input, []string) {
	f, _ := os.Open("testdata/" + name + ".csv")
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	na, _ := strconv.Atoi(strings.TrimSpace(rows[0][2]))
	nd, _ := strconv.Atoi(strings.TrimSpace(rows[0][3]))
	in := input{n: na, d: nd}
	var names []string
	for i := 0; i < na; i++ {
		row := rows[2+i]
		names = append(names, strings.TrimSpace(row[0]))
		c, _ := strconv.ParseFloat(strings.TrimSpace(row[2]), 64)
		in.cap = append(in.cap, c)
		for k := 0; k < nd; k++ {
			p, _ := strconv.ParseFloat(strings.TrimSpace(row[3+2*k]), 64)
			s, _ := strconv.ParseFloat(strings.TrimSpace(row[4+2*k]), 64)
			in.pos = append(in.pos, p/100.0)
			in.sal = append(in.sal, s/100.0)
		}
	}
	return in, names
}

func TestQuick(t *testing.T) {
	for _, name := range []string{"dummyData_3Dim", "SOE-Pol-Comp", "dummyData_6Dim", "dummyData-a040", "dummyData-a080", "dummyData-a160"} {
		in, names := quickLoad(t, name)
		e := &engine{in: in, set: Defaults(), workers: 2}
		hist, conv, err := e.run(100)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := os.Open("testdata/" + name + ".positions.csv")
		rows, _ := csv.NewReader(f).ReadAll()
		maxT := 0
		worst := 0.0
		for _, row := range rows[1:] {
			tt, _ := strconv.Atoi(row[0])
			maxT = max(maxT, tt)
			a := -1
			for i, n := range names {
				if n == row[1] {
					a = i
				}
			}
			k, _ := strconv.Atoi(row[2])
			v, _ := strconv.ParseFloat(row[3], 64)
			if tt < len(hist) {
				worst = math.Max(worst, math.Abs(hist[tt].pos[a*in.d+k]*100-v))
			}
		}
		fmt.Println(name, "turns", len(hist)-1, "ref", maxT, conv, "worst", worst)
	}
}
