package ops

import "errors"

// ErrInvalidRequest matches a request refused as given, before any
// checkpoint is read or written: an unknown tenant or stream, a missing
// flag or reason, a time Okta cannot serve. Commands branch on it to exit
// with their usage status rather than the status of a failed operation.
var ErrInvalidRequest = errors.New("invalid checkpoints request")

// invalid wraps the words of a refusal so that it matches
// ErrInvalidRequest while printing only those words.
type invalid struct{ error }

// Is matches ErrInvalidRequest.
func (invalid) Is(target error) bool { return target == ErrInvalidRequest }

// refuse is errors.New for a refusal.
func refuse(msg string) error { return invalid{errors.New(msg)} }
