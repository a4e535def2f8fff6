package surveys

// Value is the answer to one question, stored as JSON. Which fields are used
// depends on the question's kind:
//
//	status:                Status, Measures, Links, Challenges, AssistanceNeeded, AssistanceText
//	single, short, long,
//	number, date, url:     Text
//	multi:                 Choices
//	rows:                  Rows (one map per row, keyed by column key)
//	contact:               Contact (keyed by ContactFields)
type Value struct {
	Status string `json:"status,omitempty"`
	// Measures and Links back a status up (the PoA format's details
	// column): the measures taken, and links to laws, strategies or other
	// documents. Both optional.
	Measures         string   `json:"measures,omitempty"`
	Links            []string `json:"links,omitempty"`
	Challenges       string   `json:"challenges,omitempty"`
	AssistanceNeeded bool     `json:"assistance_needed,omitempty"`
	AssistanceText   string   `json:"assistance_text,omitempty"`
	// AssistanceType and AssistancePriority describe the "assistance
	// needed" mark like a row of the needs table (AssistanceTypes,
	// NeedPriorities), so that the needs register can filter it.
	AssistanceType     string              `json:"assistance_type,omitempty"`
	AssistancePriority string              `json:"assistance_priority,omitempty"`
	Text               string              `json:"text,omitempty"`
	Choices            []string            `json:"choices,omitempty"`
	Rows               []map[string]string `json:"rows,omitempty"`
	Contact            map[string]string   `json:"contact,omitempty"`
}

// ContactFields are the fields of a contact block, in display order.
var ContactFields = []string{"name", "position", "organisation", "email", "phone", "languages"}
