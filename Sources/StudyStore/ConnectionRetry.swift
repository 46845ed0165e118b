import Foundation

/// How long a server store keeps retrying when its connection fails (a server restart, a network
/// blip): exponential backoff from `firstDelay`, doubling up to `maxDelay`, until `totalTime`
/// seconds have passed since the operation started; then the operation throws `.unreachable`.
public struct ConnectionRetry: Sendable, Equatable {
    public var totalTime: TimeInterval
    public var firstDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(totalTime: TimeInterval, firstDelay: TimeInterval = 0.05, maxDelay: TimeInterval = 5) {
        self.totalTime = totalTime
        self.firstDelay = firstDelay
        self.maxDelay = maxDelay
    }

    /// Up to a minute: enough for a server restart or a failover, short enough that a worker
    /// facing a server that is really gone stops with an error instead of hanging.
    public static let standard = ConnectionRetry(totalTime: 60)

    /// The delays to sleep between attempts, each with ±20% jitter so that many workers that
    /// lost the server together do not reconnect in lockstep.
    func delay(afterAttempt attempt: Int) -> TimeInterval {
        let base = min(maxDelay, firstDelay * pow(2, Double(min(attempt - 1, 30))))
        return base * Double.random(in: 0.8...1.2)
    }
}
