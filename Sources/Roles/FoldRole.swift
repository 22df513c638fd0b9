public import Config
public import Fold
public import Kafka

// MARK: - FoldRole

/// The fold role's configuration from the validated configuration, the same way for `leadsync fold`,
/// `leadsync run` and the embedded pipeline.
public enum FoldRole {
    /// A fold configuration; the arguments override the configuration's `fold` section where given.
    public static func configuration(
        config: LeadSyncConfig,
        client: KafkaClientConfiguration,
        instanceId: String,
        groupId: String? = nil,
        stateDirectory: String? = nil,
        topicPrefix: String = "",
        snapshotInterval: Duration = .seconds(60),
        sessionTimeout: Duration = .seconds(10)
    ) -> FoldConfiguration {
        FoldConfiguration(
            client: client,
            tenants: config.tenantDirectory,
            groupId: groupId ?? config.fold.groupId,
            instanceId: instanceId,
            topics: FoldConfiguration.Topics.standard.prefixed(topicPrefix),
            commitInterval: config.fold.commitInterval,
            commitMaxRecords: config.fold.commitMaxRecords,
            stateDirectory: stateDirectory ?? config.fold.stateDirectory,
            snapshotInterval: snapshotInterval,
            settleCheckInterval: config.fold.settleCheckInterval,
            foldThreads: config.fold.threads,
            sessionTimeout: sessionTimeout
        )
    }
}
