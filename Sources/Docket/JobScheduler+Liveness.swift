import DocketCore

extension JobScheduler {
    /// Registers this instance as a runner with the store, which keeps the liveness of the runners
    /// (see `RunnerRegistryStore`); nil when the store keeps none, as an in-memory journal, which
    /// only this scheduler runs.
    ///
    /// - Throws: ``DocketError/alreadyRunning(holder:)`` when a live holder has this instance's
    ///   registration; ``DocketError/storage(_:)`` (kind ``DocketError/StorageFailure/Kind/cannotOpen``)
    ///   when the store cannot make it.
    func registerRunner(lease: RunnerLease) throws(DocketError) -> (any RunnerRegistration)? {
        do {
            return try store.registerRunner(owner: instanceID, lease: lease)
        } catch RunnerRegistrationError.held(let holder) {
            throw .alreadyRunning(holder: holder)
        } catch RunnerRegistrationError.cannotOpen(let message, let path) {
            throw .storage(.init(kind: .cannotOpen, message: message, path: path))
        } catch {
            throw .storage(DocketError.StorageFailure(error))
        }
    }
}
