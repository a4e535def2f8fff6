package reports

import (
	"archive/zip"
	"compress/flate"
	"encoding/csv"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// SafeCell neutralises a cell against formula injection: a cell that a
// spreadsheet would read as a formula (starting with =, +, -, @, a tab or
// a carriage return) gets a leading apostrophe, so it shows as typed.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// WriteTableCSV writes a table as CSV that Excel and LibreOffice open
// correctly in every script: UTF-8 with a byte-order mark, CRLF line ends,
// every cell through SafeCell.
func WriteTableCSV(w io.Writer, header []string, rows [][]string) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	rec := make([]string, 0, len(header))
	write := func(cells []string) error {
		rec = rec[:0]
		for _, c := range cells {
			rec = append(rec, SafeCell(c))
		}
		return cw.Write(rec)
	}
	if err := write(header); err != nil {
		return err
	}
	for _, r := range rows {
		if err := write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTableXLSX writes a table as an XLSX workbook with one sheet, the
// header row in bold and frozen, every cell a string through SafeCell.
func WriteTableXLSX(w io.Writer, sheet string, header []string, rows [][]string) error {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	f.SetZipWriter(fastZip)
	sheet = sheetName(sheet)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := make([]any, len(header))
	for i, h := range header {
		row[i] = excelize.Cell{StyleID: bold, Value: SafeCell(h)}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	for n, r := range rows {
		row = row[:0]
		for _, c := range r {
			if c == "" {
				row = append(row, nil) // an empty cell is not written at all
				continue
			}
			row = append(row, SafeCell(c))
		}
		cell, err := excelize.CoordinatesToCellName(1, n+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// fastZip is the ZIP writer of workbooks: deflate at its fastest level.
// The sheet of a whole cycle is tens of megabytes of repetitive XML, which
// the fastest level still shrinks about tenfold, in a fraction of the time
// of the default level.
func fastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return zw
}

// sheetName makes s a valid sheet name: at most 31 characters, none of
// : \ / ? * [ ].
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	if s == "" {
		s = "Sheet1"
	}
	return s
}
