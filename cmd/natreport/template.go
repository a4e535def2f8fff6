package main

import (
	"fmt"
	"io"
	"os"

	"github.com/natreport/natreport/surveys"
)

// cmdTemplateCheck validates a template file and prints every problem.
func cmdTemplateCheck(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return usagef("template check: want exactly one FILE")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return usagef("template check: %v", err)
	}
	problems := surveys.Check(args[0], data)
	for _, p := range problems {
		fmt.Fprintln(stdout, p.String())
	}
	if len(problems) > 0 {
		return usagef("template check: %d problem(s) in %s", len(problems), args[0])
	}
	fmt.Fprintf(stdout, "%s: ok\n", args[0])
	return nil
}
