// Package plural makes a counted noun agree with its count in output text
// ("1 issue", "2 issues", "0.5 votes").
package plural

import "fmt"

// Number is a count: an integer, or a (possibly fractional) weight.
type Number interface {
	~int | ~int64 | ~float64
}

// Noun returns singular when n is exactly 1 and singular+"s" otherwise.
func Noun[T Number](n T, singular string) string {
	if n == 1 {
		return singular
	}
	return singular + "s"
}

// Count returns n followed by the noun in agreement with n ("1 issue",
// "3 issues"); n is formatted with %v, so 1.5 stays 1.5.
func Count[T Number](n T, singular string) string {
	return fmt.Sprintf("%v %s", n, Noun(n, singular))
}
