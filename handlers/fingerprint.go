package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/natreport/natreport/surveys"
)

// fingerprint identifies an answer value as the form showed it. The form
// sends it back beside the fields, so a save can tell the answers the
// person changed from those left as shown: only changed answers are saved,
// and an untouched answer never conflicts with a colleague's newer one.
func fingerprint(v surveys.Value) string {
	n := v
	n.Choices = nil
	if len(v.Choices) > 0 {
		n.Choices = v.Choices
	}
	n.Rows = nil
	for _, r := range v.Rows {
		if m := compact(r); m != nil {
			n.Rows = append(n.Rows, m)
		}
	}
	n.Contact = compact(v.Contact)
	b, _ := json.Marshal(n)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

func compact(m map[string]string) map[string]string {
	var out map[string]string
	for k, s := range m {
		if s == "" {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = s
	}
	return out
}
