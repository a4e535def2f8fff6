package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/natreport/natreport/internal/every"
	"github.com/natreport/natreport/models"
)

// housekeeping runs models.DB.Housekeeping every hour until ctx ends. With
// several instances over one PostgreSQL each tries every hour and the lease
// lets one of them run it.
func housekeeping(ctx context.Context, db *models.DB, holder string, log *slog.Logger) {
	every.Period(ctx, time.Hour, func(ctx context.Context) {
		ran, err := db.Housekeeping(ctx, holder, 50*time.Minute)
		if err != nil && ctx.Err() == nil {
			log.Warn("housekeeping", "err", err)
		} else if ran {
			log.Info("housekeeping done")
		}
	})
}
