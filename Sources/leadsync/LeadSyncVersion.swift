/// `leadsync --version`: the release, the tag of the image that overlays/prod deploys (k8s/overlays/prod). A test
/// checks that the two agree.
enum LeadSyncVersion {
    static let current = "0.1.0"
}
