package surveys

import "testing"

func TestDirectoryAccess(t *testing.T) {
	tests := []struct {
		name string
		r    Reader
		iso3 string
		want DirectoryRights
	}{
		{"anonymous", Reader{}, "JPN", DirectoryRights{}},
		{"donor", Reader{Role: "donor"}, "JPN", DirectoryRights{}},
		{"donor, whole directory", Reader{Role: "donor"}, "", DirectoryRights{}},
		{"secretariat", Reader{Role: "secretariat"}, "JPN", DirectoryRights{Read: true, Export: true}},
		{"admin", Reader{Role: "admin"}, "", DirectoryRights{Read: true, Export: true}},
		{"own focal point", Reader{Role: "focal-point", StateISO3: "JPN"}, "JPN", DirectoryRights{Read: true, Edit: true}},
		{"other State's focal point", Reader{Role: "focal-point", StateISO3: "FRA"}, "JPN", DirectoryRights{Read: true}},
		{"focal point, whole directory", Reader{Role: "focal-point", StateISO3: "FRA"}, "", DirectoryRights{Read: true}},
		{"own contributor", Reader{Role: "contributor", StateISO3: "JPN"}, "JPN", DirectoryRights{Read: true}},
		{"State role without a State", Reader{Role: "focal-point"}, "JPN", DirectoryRights{}},
		{"unknown role", Reader{Role: "guest", StateISO3: "JPN"}, "JPN", DirectoryRights{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DirectoryAccess(tt.r, tt.iso3); got != tt.want {
				t.Errorf("DirectoryAccess(%+v, %q) = %+v, want %+v", tt.r, tt.iso3, got, tt.want)
			}
		})
	}
}
