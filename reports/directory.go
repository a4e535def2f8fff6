package reports

// DirectoryColumns are the columns of the points-of-contact export, which
// is written with WriteTableCSV and WriteTableXLSX (every cell through
// SafeCell: each comes from what a State typed).
var DirectoryColumns = []string{"iso3", "state", "regional_group", "kind", "function", "organisation", "mailbox",
	"person_name", "phone", "languages", "time_zone", "hours", "last_confirmed", "stale"}
