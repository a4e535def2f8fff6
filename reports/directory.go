package reports

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// DirectoryColumns are the columns of the points-of-contact export.
var DirectoryColumns = []string{"iso3", "state", "regional_group", "kind", "function", "organisation", "mailbox",
	"person_name", "phone", "languages", "time_zone", "hours", "last_confirmed", "stale"}

// DirectoryRow is one point of contact in the export, in column order.
type DirectoryRow [14]string

// neutralise keeps a spreadsheet from reading a cell as a formula: a cell
// that starts with = + - @, a tab or a carriage return gets a leading
// apostrophe (OWASP's advice on CSV injection). Every cell of the export
// comes from what a State typed.
func neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// WriteDirectoryCSV writes the export as CSV (UTF-8, a header row).
func WriteDirectoryCSV(w io.Writer, rows []DirectoryRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(DirectoryColumns); err != nil {
		return err
	}
	for _, r := range rows {
		rec := make([]string, len(r))
		for i, v := range r {
			rec[i] = neutralise(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteDirectoryXLSX writes the export as one XLSX sheet, every cell as
// text.
func WriteDirectoryXLSX(w io.Writer, rows []DirectoryRow) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Directory"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	put := func(row int, vals []string) error {
		for col, v := range vals {
			ref, err := excelize.CoordinatesToCellName(col+1, row)
			if err != nil {
				return err
			}
			if err := f.SetCellStr(sheet, ref, neutralise(v)); err != nil {
				return fmt.Errorf("cell %s: %w", ref, err)
			}
		}
		return nil
	}
	if err := put(1, DirectoryColumns); err != nil {
		return err
	}
	for i, r := range rows {
		if err := put(i+2, r[:]); err != nil {
			return err
		}
	}
	return f.Write(w)
}
