package handlers

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/reports"
)

// directoryRows builds the export of the whole directory, by State.
func (s *Server) directoryRows(c *gin.Context) ([][]string, error) {
	ctx := c.Request.Context()
	states, err := s.db.ListStates(ctx, "")
	if err != nil {
		return nil, err
	}
	type st struct{ name, group string }
	byISO := make(map[string]st, len(states))
	for _, x := range states {
		byISO[x.ISO3] = st{x.Name, x.RegionalGroup}
	}
	contacts, err := s.db.ListContacts(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([][]string, 0, len(contacts))
	for _, ct := range contacts {
		confirmed, stale := "", "no"
		if ct.ConfirmedAt != nil {
			confirmed = ct.ConfirmedAt.Format(time.DateOnly)
		}
		if ct.Stale(now) {
			stale = "yes"
		}
		x := byISO[ct.StateISO3]
		out = append(out, []string{ct.StateISO3, x.name, x.group, ct.Kind, ct.Function, ct.Organisation,
			ct.Mailbox, ct.PersonName, ct.Phone, ct.Languages, ct.TimeZone, ct.Hours, confirmed, stale})
	}
	return out, nil
}

// directoryExport downloads the directory: secretariat and admins only,
// decided by the one directory check (the route group already keeps
// everyone else out).
func (s *Server) directoryExport(format string) handlerFunc {
	return func(c *gin.Context) error {
		rights, err := directoryRights(c, "")
		if err != nil {
			return err
		}
		if !rights.Export {
			return errForbidden
		}
		rows, err := s.directoryRows(c)
		if err != nil {
			return err
		}
		return s.sendTable(c, format, "points-of-contact", reports.DirectoryColumns, rows)
	}
}
