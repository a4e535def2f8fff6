package surveys

// DirectoryRights is what a reader may do with the points-of-contact
// directory.
type DirectoryRights struct {
	Read   bool // see every State's points of contact
	Edit   bool // keep the entries of the State asked about
	Export bool // download the whole directory (CSV, XLSX) and run ping rounds
}

// DirectoryAccess is the one check of the points-of-contact directory,
// for the entries of the State iso3 ("" for the directory as a whole).
// Signed-in people of member States and the secretariat read it; the
// State's focal point keeps the State's entries; only the secretariat
// exports it. Donors and the public never see it, in no form.
func DirectoryAccess(r Reader, iso3 string) DirectoryRights {
	switch r.Role {
	case "secretariat", "admin":
		return DirectoryRights{Read: true, Export: true}
	case "focal-point", "contributor":
		if r.StateISO3 == "" {
			return DirectoryRights{}
		}
		return DirectoryRights{Read: true, Edit: r.Role == "focal-point" && iso3 != "" && iso3 == r.StateISO3}
	}
	return DirectoryRights{}
}
