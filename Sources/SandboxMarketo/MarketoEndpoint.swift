/// Every endpoint the sandbox answers, with its path template. Templates are the reference's paths with
/// `{name}` for a path parameter; they name endpoints in the call log and in fault rules.
enum MarketoEndpoint: String, Sendable, CaseIterable {
    // MARK: - Identity
    case token
    // MARK: - Leads
    case syncLeads, getLeads, getLeadById, describeLeads, describeLeads2
    // MARK: - Programs and members
    case syncMemberStatus, legacyMemberStatus, getMembers, getLeadsByProgram, deleteMembers, describeMembers
    case getProgram, getChannels, getChannelByName
    // MARK: - Custom activities
    case activityTypes, describeActivityType, addActivities, activityPagingToken, getLeadActivities
    // MARK: - Custom objects
    case listCustomObjects, describeCustomObject, syncCustomObjects, queryCustomObjects, deleteCustomObjects
    case describeCustomObjectType
    // MARK: - Usage
    case usage, usageLast7Days, errorStats
    // MARK: - Bulk import
    case importLeads, importLeadsStatus, importLeadsFailures, importLeadsWarnings
    case importMembers, importMembersStatus, importMembersFailures, importMembersWarnings
    case importCustomObjects, importCustomObjectsStatus, importCustomObjectsFailures, importCustomObjectsWarnings
    // MARK: - Bulk export
    case exportCreate, exportEnqueue, exportStatus, exportFile, exportCancel, exportList

    /// The method and template of each endpoint. `{obj}` in export templates is `leads` or `program/members`.
    var route: (method: String, template: String) {
        switch self {
        case .token: ("*", "/identity/oauth/token")
        case .syncLeads: ("POST", "/rest/v1/leads.json")
        case .getLeads: ("GET", "/rest/v1/leads.json")
        case .getLeadById: ("GET", "/rest/v1/lead/{leadId}.json")
        case .describeLeads: ("GET", "/rest/v1/leads/describe.json")
        case .describeLeads2: ("GET", "/rest/v1/leads/describe2.json")
        case .syncMemberStatus: ("POST", "/rest/v1/programs/{programId}/members/status.json")
        case .legacyMemberStatus: ("POST", "/rest/v1/leads/programs/{programId}/status.json")
        case .getMembers: ("GET", "/rest/v1/programs/{programId}/members.json")
        case .getLeadsByProgram: ("GET", "/rest/v1/leads/programs/{programId}.json")
        case .deleteMembers: ("POST", "/rest/v1/programs/{programId}/members/delete.json")
        case .describeMembers: ("GET", "/rest/v1/programs/members/describe.json")
        case .getProgram: ("GET", "/rest/asset/v1/program/{programId}.json")
        case .getChannels: ("GET", "/rest/asset/v1/channels.json")
        case .getChannelByName: ("GET", "/rest/asset/v1/channel/byName.json")
        case .activityTypes: ("GET", "/rest/v1/activities/external/types.json")
        case .describeActivityType: ("GET", "/rest/v1/activities/external/type/{apiName}/describe.json")
        case .addActivities: ("POST", "/rest/v1/activities/external.json")
        case .activityPagingToken: ("GET", "/rest/v1/activities/pagingtoken.json")
        case .getLeadActivities: ("GET", "/rest/v1/activities.json")
        case .listCustomObjects: ("GET", "/rest/v1/customobjects.json")
        case .describeCustomObject: ("GET", "/rest/v1/customobjects/{apiName}/describe.json")
        case .syncCustomObjects: ("POST", "/rest/v1/customobjects/{apiName}.json")
        case .queryCustomObjects: ("GET", "/rest/v1/customobjects/{apiName}.json")
        case .deleteCustomObjects: ("POST", "/rest/v1/customobjects/{apiName}/delete.json")
        case .describeCustomObjectType: ("GET", "/rest/v1/customobjects/schema/{apiName}/describe.json")
        case .usage: ("GET", "/rest/v1/stats/usage.json")
        case .usageLast7Days: ("GET", "/rest/v1/stats/usage/last7days.json")
        case .errorStats: ("GET", "/rest/v1/stats/errors.json")
        case .importLeads: ("POST", "/bulk/v1/leads.json")
        case .importLeadsStatus: ("GET", "/bulk/v1/leads/batch/{batchId}.json")
        case .importLeadsFailures: ("GET", "/bulk/v1/leads/batch/{batchId}/failures.json")
        case .importLeadsWarnings: ("GET", "/bulk/v1/leads/batch/{batchId}/warnings.json")
        case .importMembers: ("POST", "/bulk/v1/program/{programId}/members/import.json")
        case .importMembersStatus: ("GET", "/bulk/v1/program/members/import/{batchId}/status.json")
        case .importMembersFailures: ("GET", "/bulk/v1/program/members/import/{batchId}/failures.json")
        case .importMembersWarnings: ("GET", "/bulk/v1/program/members/import/{batchId}/warnings.json")
        case .importCustomObjects: ("POST", "/bulk/v1/customobjects/{apiName}/import.json")
        case .importCustomObjectsStatus: ("GET", "/bulk/v1/customobjects/{apiName}/import/{batchId}/status.json")
        case .importCustomObjectsFailures:
            ("GET", "/bulk/v1/customobjects/{apiName}/import/{batchId}/failures.json")
        case .importCustomObjectsWarnings:
            ("GET", "/bulk/v1/customobjects/{apiName}/import/{batchId}/warnings.json")
        case .exportCreate: ("POST", "/bulk/v1/{obj}/export/create.json")
        case .exportEnqueue: ("POST", "/bulk/v1/{obj}/export/{exportId}/enqueue.json")
        case .exportStatus: ("GET", "/bulk/v1/{obj}/export/{exportId}/status.json")
        case .exportFile: ("GET", "/bulk/v1/{obj}/export/{exportId}/file.json")
        case .exportCancel: ("POST", "/bulk/v1/{obj}/export/{exportId}/cancel.json")
        case .exportList: ("GET", "/bulk/v1/{obj}/export.json")
        }
    }

    /// Endpoints a `POST …?_method=GET` may reach: the query endpoints.
    var getOverrideTarget: MarketoEndpoint? {
        switch self {
        case .syncLeads: .getLeads
        case .syncCustomObjects: .queryCustomObjects
        default: nil
        }
    }

    /// Whether the endpoint is a bulk import upload (multipart body, the bulk file size limit).
    var isImportUpload: Bool {
        self == .importLeads || self == .importMembers || self == .importCustomObjects
    }

    /// The export object types accepted in `{obj}`.
    static let exportObjects = ["leads", "program/members"]
}
