package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"cyber@mfa.example", "cyber@mfa.example"},
		{"=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"+81 3 1234", "'+81 3 1234"},
		{"-1", "'-1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := neutralise(tt.in); got != tt.want {
			t.Errorf("neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func directoryFixture() []DirectoryRow {
	return []DirectoryRow{
		{"JPN", "Japan", "Asia-Pacific", "diplomatic", "Cyber Policy Division", "MOFA", "cyber-policy@mofa.example", "", "=1+1", "en, ja", "UTC+9", "9-17", "2026-11-01", "no"},
		{"FRA", "France", "WEOG", "technical", "CERT-FR", "ANSSI", "cert@anssi.example", "Jean", "+33 1", "fr", "UTC+1", "24/7", "", "yes"},
	}
}

func TestWriteDirectoryCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteDirectoryCSV(&b, directoryFixture()); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		strings.Join(DirectoryColumns, ","),
		`JPN,Japan,Asia-Pacific,diplomatic,Cyber Policy Division,MOFA,cyber-policy@mofa.example,,'=1+1,"en, ja",UTC+9,9-17,2026-11-01,no`,
		`FRA,France,WEOG,technical,CERT-FR,ANSSI,cert@anssi.example,Jean,'+33 1,fr,UTC+1,24/7,,yes`,
	}, "\n") + "\n"
	if b.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestWriteDirectoryXLSX(t *testing.T) {
	var b bytes.Buffer
	if err := WriteDirectoryXLSX(&b, directoryFixture()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Directory")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	if strings.Join(rows[0], ",") != strings.Join(DirectoryColumns, ",") {
		t.Errorf("header %v", rows[0])
	}
	if rows[1][6] != "cyber-policy@mofa.example" || rows[1][8] != "'=1+1" || rows[2][8] != "'+33 1" {
		t.Errorf("rows %v", rows[1:])
	}
	formula, err := f.GetCellFormula("Directory", "I2")
	if err != nil || formula != "" {
		t.Errorf("I2 has formula %q (%v)", formula, err)
	}
}
