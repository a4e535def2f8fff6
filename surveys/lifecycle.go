package surveys

import (
	"errors"
	"slices"
)

// Steps of a report's life that the State's focal point asks for.
const (
	StepReview   = "review"   // draft → review: ask colleagues to sign off
	StepReopen   = "reopen"   // review → draft: editing resumes
	StepSubmit   = "submit"   // draft or review → submitted (after the password)
	StepPublish  = "publish"  // submitted → published, at the chosen visibility
	StepWithdraw = "withdraw" // published → submitted: publication taken back
	StepAmend    = "amend"    // submitted or published → a new version, a draft
)

// Refusals of a step; test them with errors.Is.
var (
	// ErrUnknownStep: no such step.
	ErrUnknownStep = errors.New("unknown step")
	// ErrStepRefused: the report's status does not allow the step.
	ErrStepRefused = errors.New("step not allowed in this status")
	// ErrPrivate: a private report is never published; widen its
	// visibility first.
	ErrPrivate = errors.New("a private report cannot be published")
)

// lifecycle is the one table of a report's life: for each step, the
// statuses it starts from and the status it leads to ("" for amend, which
// leaves the version as it is and starts a new draft version).
var lifecycle = map[string]struct {
	from []string
	to   string
}{
	StepReview:   {[]string{ReportDraft}, ReportReview},
	StepReopen:   {[]string{ReportReview}, ReportDraft},
	StepSubmit:   {[]string{ReportDraft, ReportReview}, ReportSubmitted},
	StepPublish:  {[]string{ReportSubmitted}, ReportPublished},
	StepWithdraw: {[]string{ReportPublished}, ReportSubmitted},
	StepAmend:    {[]string{ReportSubmitted, ReportPublished}, ""},
}

// Next says where step takes a report version: the new status ("" for
// amend), or why the step is refused.
func Next(step string, rep ReportRef) (string, error) {
	l, ok := lifecycle[step]
	switch {
	case !ok:
		return "", ErrUnknownStep
	case step == StepPublish && rep.Visibility == VisPrivate:
		return "", ErrPrivate
	case !slices.Contains(l.from, rep.Status):
		return "", ErrStepRefused
	}
	return l.to, nil
}

// Allowed reports whether some step moves a report from status from to
// status to: the store refuses every other change of status.
func Allowed(from, to string) bool {
	for _, l := range lifecycle {
		if l.to != "" && l.to == to && slices.Contains(l.from, from) {
			return true
		}
	}
	return false
}

// Editable reports whether the answers of a version in status s may
// change: only drafts. In review, editing pauses until the focal point
// reopens it; a submitted version is amended with a new version.
func Editable(s string) bool { return s == ReportDraft }

// Unsubmitted reports whether a version in status s is still being
// written (draft or review): its copies carry the draft mark, and its
// sections may be assigned to contributors.
func Unsubmitted(s string) bool { return s == ReportDraft || s == ReportReview }

// ReadableVersion is the one choice of which version of a report a reader
// gets. versions are the report's versions, oldest first; asked is the
// version number asked for (1-based), or 0 for "the newest this reader may
// read" (a published version 1 while version 2 is drafted, for anyone
// outside the State). It returns the index into versions and the audience.
func ReadableVersion(r Reader, versions []ReportRef, asked int) (int, string, bool) {
	if asked > 0 {
		if asked > len(versions) {
			return 0, "", false
		}
		aud, ok := Audience(r, versions[asked-1])
		return asked - 1, aud, ok
	}
	for i := len(versions) - 1; i >= 0; i-- {
		if aud, ok := Audience(r, versions[i]); ok {
			return i, aud, true
		}
	}
	return 0, "", false
}

// ReadableVersions lists the indexes of the versions the reader may read,
// oldest first: the version menu and the record of changes show these.
func ReadableVersions(r Reader, versions []ReportRef) []int {
	var out []int
	for i, v := range versions {
		if _, ok := Audience(r, v); ok {
			out = append(out, i)
		}
	}
	return out
}
