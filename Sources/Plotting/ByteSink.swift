import CCairo

/// Collects what Cairo writes to a stream (a class: Cairo holds a pointer to it).
final class ByteSink {
    var bytes: [UInt8] = []

    /// Cairo's write callback; `closure` is the sink.
    static let write: cairo_write_func_t = { closure, data, length in
        guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
        if let data, length > 0 { sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length))) }
        return CAIRO_STATUS_SUCCESS
    }
}
