package okta

import (
	"encoding/json"
	"time"
)

// AppGroup is one group's assignment to an app (API.md §6.4): the group id,
// its priority among the app's groups, and the attributes pushed to members.
type AppGroup struct {
	ID          string          `json:"id"`
	Priority    int             `json:"priority"`
	LastUpdated time.Time       `json:"lastUpdated"`
	Profile     Profile         `json:"profile"`
	Embedded    json.RawMessage `json:"_embedded,omitempty"`
}
