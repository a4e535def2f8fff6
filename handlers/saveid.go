package handlers

// saveID is the client's id of an autosave (see models.SaveRequest.SaveID):
// up to 64 letters, digits, dashes and underscores, else none.
func saveID(s string) string {
	if len(s) > 64 {
		return ""
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return ""
		}
	}
	return s
}
