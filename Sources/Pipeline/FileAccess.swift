import Foundation

/// Which local files a pipeline's `file://` sources may read: only those under its
/// `allowed_file_roots`, judged after `..` and symbolic links are resolved, before anything is read.
struct FileAccess: Sendable, Equatable {
    /// Resolved root folders (no symlinks, no trailing slash).
    let roots: [String]

    /// - Parameters:
    ///   - roots: the pipeline's `allowed_file_roots` (absolute, or starting with `{data_dir}`/`{sim_dir}`).
    ///   - dataDir: the run's data folder, which `{data_dir}` names.
    init(roots: [String], dataDir: URL) {
        self.roots = roots.map { template in
            let expanded = URLTemplate.expandDirectories(template, dataDir: dataDir)
            return Self.resolved(expanded)
        }
    }

    /// The decoded path of a `file://` URL when it lies under a root; otherwise the one-line reason.
    func check(fileURL: String) -> Result<String, PipelineError> {
        guard let url = URL(string: fileURL), url.isFileURL, !url.path.isEmpty else {
            return .failure(.invalidArgument("not a file URL: \(fileURL)"))
        }
        let path = Self.resolved(url.path)
        let inside = roots.contains { root in root == "/" || path == root || path.hasPrefix(root + "/") }
        guard inside else {
            let allowed = roots.isEmpty ? "none" : roots.joined(separator: ", ")
            return .failure(.invalidArgument("\(path) is outside the pipeline's allowed_file_roots (\(allowed)); not read"))
        }
        return .success(path)
    }

    /// `path` made absolute, `.`/`..` removed and every existing symlink resolved. A path that does not
    /// exist yet is resolved up to its deepest existing folder, so `root/../etc` cannot pass for `root`.
    static func resolved(_ path: String) -> String {
        var existing = URL(fileURLWithPath: path).standardizedFileURL
        var missing: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
            missing.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var out = existing.resolvingSymlinksInPath()
        for component in missing { out.appendPathComponent(component) }
        let text = out.standardizedFileURL.path
        return text.count > 1 && text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
