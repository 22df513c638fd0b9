/// The Marketo endpoints this client calls, named for metrics, logs and errors.
public enum MarketoCallEndpoint: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `GET /identity/oauth/token`: a client-credentials access token (not counted against API limits).
    case identity
    /// `POST /rest/v1/leads.json`: Sync Leads.
    case syncLeads
    /// `GET /rest/v1/leads.json` (or `POST …?_method=GET`): Get Leads by Filter Type.
    case getLeads
    /// `GET /rest/v1/leads/describe.json`: the lead fields.
    case describeLeads
    /// `POST /rest/v1/programs/{programId}/members/status.json`: Sync Program Member Status.
    case syncProgramMemberStatus
    /// `POST /rest/v1/activities/external.json`: Add Custom Activities.
    case addCustomActivities
    /// `GET /rest/v1/activities/external/types.json`: the custom activity types.
    case customActivityTypes
    /// `GET /rest/v1/activities/pagingtoken.json`: a paging token for activities since a time.
    case activityPagingToken
    /// `GET /rest/v1/activities.json`: Get Lead Activities (reading back custom activities).
    case leadActivities
    /// `POST /rest/v1/customobjects/{apiName}.json`: Sync Custom Objects.
    case syncCustomObjects
    /// `GET /rest/v1/customobjects/{apiName}.json`: Query Custom Objects (reconciliation).
    case queryCustomObjects
    /// `GET /rest/v1/customobjects/{apiName}/describe.json`: a custom object's schema.
    case describeCustomObject
    /// `GET /rest/v1/customobjects/schema/{apiName}/describe.json`: a custom object type's approval state.
    case describeCustomObjectType
    /// `GET /rest/asset/v1/program/{id}.json`: a program and its channel.
    case getProgram
    /// `GET /rest/asset/v1/channel/byName.json`: a channel's progression statuses.
    case getChannel
    /// `GET /rest/v1/stats/usage.json` and `…/usage/last7days.json`: API calls per day.
    case usage
    /// `POST /bulk/v1/leads.json`: a bulk lead import.
    case importLeads
    /// `POST /bulk/v1/program/{programId}/members/import.json`: a bulk program member import.
    case importProgramMembers
    /// `POST /bulk/v1/customobjects/{apiName}/import.json`: a bulk custom object import.
    case importCustomObjects
    /// A bulk import's status.
    case bulkImportStatus
    /// A bulk import's failures file.
    case bulkImportFailures
    /// A bulk import's warnings file.
    case bulkImportWarnings

    /// The name used in metrics and logs (the case name).
    public var name: String { rawValue }

    public var description: String { rawValue }
}
