/// The project version, reported in the User-Agent and in the run ledger.
public enum VixShieldVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"

    /// The User-Agent every request sends: project, version and where to find it.
    public static let userAgent = "vixshield/\(current) (+https://github.com/vixshield)"
}
