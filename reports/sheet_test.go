package reports

import (
	"bytes"
	"reflect"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

var sheetRows = [][]string{
	{"JPN", "=HYPERLINK(\"http://evil\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "نعم", "是", "Да", "ok, \"quoted\""},
}

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "plain": "plain", "=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@x": "'@x", "\tx": "'\tx", "\rx": "'\rx", "a=b": "a=b",
	} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteTableCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTableCSV(&b, []string{"State", "=h"}, sheetRows); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFState,'=h\r\n" +
		"JPN,\"'=HYPERLINK(\"\"http://evil\"\")\",'+1,'-2,'@SUM(A1),'\tx,\"'x\",نعم,是,Да,\"ok, \"\"quoted\"\"\"\r\n"
	// encoding/csv with CRLF line ends drops a lone carriage return.
	if got := b.String(); got != want {
		t.Errorf("CSV =\n%q\nwant\n%q", got, want)
	}
}

func TestWriteTableXLSX(t *testing.T) {
	var b bytes.Buffer
	// An empty cell is left out of the sheet, and reads back empty.
	rows := append(slices.Clone(sheetRows), []string{"KEN", "", "=x", ""})
	if err := WriteTableXLSX(&b, "Answers: 2026/2027", []string{"State", "Answer"}, rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"Answers- 2026-2027"}) {
		t.Fatalf("sheets = %q", got)
	}
	got, err := f.GetRows("Answers- 2026-2027")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"State", "Answer"}, {"JPN", "'=HYPERLINK(\"http://evil\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "نعم", "是", "Да", "ok, \"quoted\""},
		{"KEN", "", "'=x"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %q, want %q", got, want)
	}
	if formula, _ := f.GetCellFormula("Answers- 2026-2027", "B2"); formula != "" {
		t.Errorf("B2 is a formula: %q", formula)
	}
}
