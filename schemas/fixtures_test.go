package schemas

import "time"

func ptr[T any](v T) *T { return &v }

// ms builds a UTC time with millisecond precision, which is what a
// timestamp-millis field gives back.
func ms(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC().Truncate(time.Millisecond)
}

// sample is one record of each published name, in full and with every
// optional field empty, plus a constructor for a decode target.
type sample struct {
	stream string
	full   any
	empty  any
	newOut func() any
}

func samples() []sample {
	return []sample{
		{Employees, fullEmployee(), &Employee{
			TenantID: "t", OktaDomain: "d", ID: "00u1", Status: "STAGED",
			Created: ms("2024-01-01T00:00:00Z"), LastUpdated: ms("2024-01-01T00:00:00Z"),
			Login: "a@example.com", SyncedAt: ms("2024-01-02T00:00:00Z"),
			CustomAttributes: map[string]*string{},
		}, func() any { return new(Employee) }},
		{Groups, fullGroup(), &Group{
			TenantID: "t", OktaDomain: "d", ID: "00g1", Type: "OKTA_GROUP", Name: "g",
			ObjectClass: []string{}, ProfileExtras: map[string]*string{},
			Created: ms("2024-01-01T00:00:00Z"), LastUpdated: ms("2024-01-01T00:00:00Z"),
		}, func() any { return new(Group) }},
		{GroupMembers, &GroupMember{
			TenantID: "acme", OktaDomain: "acme.okta.com", GroupID: "00g1", UserID: "00u1",
			Login: ptr("ana@acme.example"), Email: ptr("ana@acme.example"),
			SyncedAt: ms("2024-06-11T14:02:11.123Z"),
		}, &GroupMember{TenantID: "t", GroupID: "g", UserID: "u"},
			func() any { return new(GroupMember) }},
		{Apps, fullApp(), &App{
			TenantID: "t", ID: "0oa1", Name: "bookmark", Features: []string{},
		}, func() any { return new(App) }},
		{AppAssignments, fullAssignment(), &AppAssignment{
			TenantID: "t", AppID: "0oa1", UserID: "00u1", Scope: "USER", Status: "ACTIVE",
		}, func() any { return new(AppAssignment) }},
		{Organizations, fullOrganization(), &Organization{
			TenantID: "t", ID: "00o1", CustomDomains: []string{},
		}, func() any { return new(Organization) }},
		{Activity, fullEvent(), &ActivityEvent{
			TenantID: "t", UUID: "u", EventType: "user.session.start", Version: "0",
			Severity: "INFO", Targets: []EventTarget{},
		}, func() any { return new(ActivityEvent) }},
		{SyncMarkers, &SyncMarker{
			TenantID: "acme", OktaDomain: "acme.okta.com", Stream: Employees,
			Phase: PhaseCompleted, SnapshotID: "snap-1",
			StartedAt:   ms("2024-06-11T14:00:00Z"),
			CompletedAt: ptr(ms("2024-06-11T14:05:00.5Z")), RecordCount: ptr(int64(100_000)),
			SyncedAt: ms("2024-06-11T14:05:01Z"),
		}, &SyncMarker{Stream: Groups, Phase: PhaseBegin},
			func() any { return new(SyncMarker) }},
	}
}

func fullEmployee() *Employee {
	return &Employee{
		TenantID: "acme", OktaDomain: "acme.okta.com", ID: "00ub0oNGTSWTBKOLGLNR",
		Status: "ACTIVE", Created: ms("2013-06-24T16:39:18.000Z"),
		Activated:       ptr(ms("2013-06-24T16:39:19.000Z")),
		StatusChanged:   ptr(ms("2013-06-24T16:39:19.000Z")),
		LastLogin:       ptr(ms("2024-06-11T14:02:11.123Z")),
		LastUpdated:     ms("2024-06-11T14:02:11.456Z"),
		PasswordChanged: ptr(ms("2013-07-02T21:36:25.344Z")),
		UserTypeID:      ptr("otyfnjfba4ye7pgjB0g4"),
		Login:           "isaac.brock@example.com", Email: ptr("isaac.brock@example.com"),
		FirstName: ptr("Isaac"), LastName: ptr("Brock"), MiddleName: ptr("K"),
		HonorificPrefix: ptr("Dr."), HonorificSuffix: ptr("Jr."),
		DisplayName: ptr("Isaac Brock"), NickName: ptr("Ike"), Title: ptr("Engineer"),
		UserType: ptr("Employee"), Department: ptr("R&D"), Division: ptr("Core"),
		Organization: ptr("Acme"), CostCenter: ptr("CC-10"), EmployeeNumber: ptr("1042"),
		Manager: ptr("Jane Doe"), ManagerID: ptr("00u2"), SecondEmail: ptr("ib@example.org"),
		MobilePhone: ptr("+1 555 0100"), PrimaryPhone: ptr("+1 555 0101"),
		StreetAddress: ptr("1 Main St"), City: ptr("Portland"), State: ptr("OR"),
		ZipCode: ptr("97201"), PostalAddress: ptr("1 Main St, Portland OR"),
		CountryCode: ptr("US"), PreferredLanguage: ptr("en-US"), Locale: ptr("en_US"),
		Timezone: ptr("America/Los_Angeles"), ProfileURL: ptr("https://example.com/ib"),
		CustomAttributes: map[string]*string{
			"costCode":     ptr("X-1"),
			"clearance":    nil,
			"badgeNumbers": ptr(`[1,2,3]`),
			"isContractor": ptr("false"),
		},
		SyncedAt: ms("2024-06-11T14:05:00.789Z"),
	}
}

func fullGroup() *Group {
	return &Group{
		TenantID: "acme", OktaDomain: "acme.okta.com", ID: "00g1emaKYZTWRYYRRTSK",
		Type: "APP_GROUP", Name: "West Coast Users", Description: ptr("All users west"),
		ObjectClass: []string{"okta:windows_security_principal"},
		Created:     ms("2015-02-06T10:11:28.000Z"), LastUpdated: ms("2015-10-05T19:16:43.000Z"),
		LastMembershipUpdated: ptr(ms("2015-11-28T19:15:32.000Z")),
		ProfileExtras: map[string]*string{
			"samAccountName": ptr("West Coast Users"),
			"dn":             ptr("CN=West Coast Users,OU=West Coast,DC=example,DC=com"),
			"managedBy":      nil,
		},
		SourceAppID: ptr("0oa2v0el0gP90aqjJ0g7"),
		SyncedAt:    ms("2024-06-11T14:05:00Z"),
	}
}

func fullApp() *App {
	return &App{
		TenantID: "acme", OktaDomain: "acme.okta.com", ID: "0oa1gjh63g214q0Hq0g4",
		Name: "oidc_client", Label: "Payroll", Status: "ACTIVE",
		SignOnMode: ptr("OPENID_CONNECT"), Created: ms("2020-01-01T00:00:00Z"),
		LastUpdated:  ms("2024-01-01T00:00:00Z"),
		Features:     []string{"PUSH_NEW_USERS", "IMPORT_NEW_USERS"},
		SettingsJSON: ptr(`{"app":{},"oauthClient":{"redirect_uris":["https://x.example/cb"]}}`),
		SyncedAt:     ms("2024-06-11T14:05:00Z"),
	}
}

func fullAssignment() *AppAssignment {
	return &AppAssignment{
		TenantID: "acme", OktaDomain: "acme.okta.com", AppID: "0oa1", UserID: "00u1",
		Scope: "GROUP", Status: "PROVISIONED", SyncState: ptr("SYNCHRONIZED"),
		ExternalID: ptr("ext-42"), UserName: ptr("ibrock"),
		Created: ms("2020-01-01T00:00:00Z"), LastUpdated: ms("2024-01-01T00:00:00Z"),
		StatusChanged: ptr(ms("2024-01-01T00:00:00Z")),
		LastSync:      ptr(ms("2024-01-02T00:00:00Z")),
		ProfileJSON:   ptr(`{"given_name":"Isaac","zoneinfo":"America/Los_Angeles"}`),
		SyncedAt:      ms("2024-06-11T14:05:00Z"),
	}
}

func fullOrganization() *Organization {
	return &Organization{
		TenantID: "acme", OktaDomain: "acme.okta.com", ID: "00o1", CompanyName: "Acme",
		Subdomain: "acme", PrimaryDomain: ptr("acme.okta.com"),
		CustomDomains: []string{"login.acme.example", "sso.acme.example"}, Status: "ACTIVE",
		Created: ms("2013-01-01T00:00:00Z"), LastUpdated: ms("2024-01-01T00:00:00Z"),
		ExpiresAt: ptr(ms("2030-01-01T00:00:00Z")), Website: ptr("https://acme.example"),
		PhoneNumber: ptr("+1 555 0000"), SupportPhoneNumber: ptr("+1 555 0001"),
		EndUserSupportHelpURL: ptr("https://help.acme.example"), Address1: ptr("1 Main St"),
		Address2: ptr("Suite 2"), City: ptr("Portland"), State: ptr("OR"),
		Country: ptr("United States"), PostalCode: ptr("97201"),
		SyncedAt: ms("2024-06-11T14:05:00Z"),
	}
}

func fullEvent() *ActivityEvent {
	return &ActivityEvent{
		TenantID: "acme", OktaDomain: "acme.okta.com",
		UUID:      "dc9fd3c0-598c-11ef-8478-2b7584bf8d5a",
		Published: ms("2024-08-13T15:58:20.353Z"), EventType: "user.session.start",
		Version: "0", Severity: "INFO",
		LegacyEventType: ptr("core.user_auth.login_success"),
		DisplayMessage:  ptr("User login to Okta"),
		Actor: &EventActor{
			ID: "00u1", Type: "User", AlternateID: ptr("ib@example.com"),
			DisplayName: ptr("Isaac Brock"), DetailEntryJSON: ptr(`{"methodTypeUsed":"Password"}`),
		},
		Client: &EventClient{
			UserAgent: ptr("Mozilla/5.0"), OS: ptr("Mac OS X"), Browser: ptr("CHROME"),
			Zone: ptr("null"), Device: ptr("Computer"), IPAddress: ptr("203.0.113.9"),
			GeographicalContextJSON: ptr(
				`{"city":"Portland","geolocation":{"lat":45.5,"lon":-122.6}}`),
		},
		Outcome: &EventOutcome{Result: "SUCCESS"},
		Targets: []EventTarget{
			{ID: "00u1", Type: "User", DetailEntryJSON: ptr(`"a string this time"`)},
			{ID: "0oa1", Type: "AppInstance", DisplayName: ptr("Payroll"),
				ChangeDetailsJSON: ptr(`{"from":{"x":1},"to":{"x":2}}`)},
		},
		Transaction: &EventTransaction{
			Type: ptr("WEB"), ID: ptr("ZrtmfFGkNqH"), DetailJSON: ptr(`{}`),
		},
		DebugDataJSON:             ptr(`{"requestId":"r1","threatSuspected":"false"}`),
		AuthenticationContextJSON: ptr(`{"externalSessionId":"102x","authenticationStep":0}`),
		SecurityContextJSON:       ptr(`{"asNumber":null,"isProxy":false}`),
		RequestJSON:               ptr(`{"ipChain":[{"ip":"203.0.113.9","version":"V4"}]}`),
		DeviceJSON:                ptr(`42`),
		SyncedAt:                  ms("2024-08-13T15:59:00Z"),
	}
}
