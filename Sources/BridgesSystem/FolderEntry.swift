import Foundation

/// One name in a folder, with the kind `readdir` gave for it (when the file system says).
package struct FolderEntry: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        case regularFile
        case folder
        case symbolicLink
        case other
        /// The file system does not say (`DT_UNKNOWN`): ask `SystemCall.status(of:)`.
        case unknown
    }

    package var name: String
    package var kind: Kind

    package init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// From `dirent.d_type`.
    init(name: String, type: UInt8) {
        self.name = name
        switch Int32(type) {
        case Int32(DT_REG): kind = .regularFile
        case Int32(DT_DIR): kind = .folder
        case Int32(DT_LNK): kind = .symbolicLink
        case Int32(DT_UNKNOWN): kind = .unknown
        default: kind = .other
        }
    }
}
