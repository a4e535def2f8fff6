// Command largest prints the code of the template section with the most
// questions, for the load run.
package main

import (
	"fmt"

	"github.com/natreport/natreport/surveys"
)

func main() {
	best, n := "", 0
	for _, s := range surveys.MustBuiltin("v1").Sections() {
		if len(s.Questions) > n {
			best, n = s.Code, len(s.Questions)
		}
	}
	fmt.Println(best)
}
