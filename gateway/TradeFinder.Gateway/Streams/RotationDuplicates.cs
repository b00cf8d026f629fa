namespace TradeFinder.Gateway.Streams;

/// <summary>
/// While two connections of one stream overlap (a make-before-break rotation) the exchange sends each event on both;
/// the byte-identical second copy is recognised and dropped. Outside a rotation (and a grace period after it, for the
/// slower connection's stragglers) nothing is remembered, so the check costs nothing in steady state. Every member is
/// called under the stream's dispatch lock.
/// </summary>
internal sealed class RotationDuplicates
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private DateTimeOffset? _until;
    private bool _open;

    public void Open()
    {
        _open = true;
        _until = null;
    }

    public void Close(DateTimeOffset now)
    {
        _open = false;
        _until = now + Grace;
    }

    /// <summary>False for a message already passed on during the rotation. Called under the dispatch lock.</summary>
    public bool FirstSeen(byte[] message, DateTimeOffset now)
    {
        if (!_open && (_until is null || now > _until))
        {
            _until = null;
            _seen.Clear();
            return true;
        }

        return _seen.Add(Convert.ToBase64String(message));
    }
}
