namespace TradeFinder.Gateway.Audit;

/// <summary>
/// A trade request's answer on its way to the bot. Every byte is kept for the audit record, which quotes the exchange's
/// answer, and nothing reaches the bot before the record the answer depends on is on disk. At the first write or flush
/// (or when the step ends, for an answer without a body) the course is chosen once, by <c>release</c>:
/// <list type="bullet">
/// <item>a task (the request was sent, its <c>sent</c> record is on its way to disk; or it was refused here, nothing to
/// wait for): awaited, then every write passes straight through, so the bot is not kept waiting for the outcome's record
/// to be described and queued, nor for a copy of the whole answer;</item>
/// <item><see langword="null"/> (answered here, nothing sent, no refusal: its one record is the only trace): the whole
/// answer is held, and the audit step sends it once that record is on disk.</item>
/// </list>
/// Writes are asynchronous, as Kestrel requires of a response body.
/// </summary>
internal sealed class HeldAnswerStream(Stream answer, Func<Task?> release) : Stream
{
    private enum Course
    {
        Undecided,
        PassThrough,
        Hold,
    }

    private Course _course;

    /// <summary>Every byte written so far, whichever the course.</summary>
    public MemoryStream Copy { get; } = new();

    private bool PassesThrough => _course == Course.PassThrough;

    /// <summary>True once the answer is held whole, for the audit step to send when its record is on disk.</summary>
    public bool IsHeld => _course == Course.Hold;

    /// <summary>Chooses the course if it is not chosen yet (waiting for the record it depends on); true if the answer passes through.</summary>
    public async ValueTask<bool> DecideAsync()
    {
        if (_course == Course.Undecided)
        {
            if (release() is { } wait)
            {
                await wait.ConfigureAwait(false);
                _course = Course.PassThrough;
            }
            else
            {
                _course = Course.Hold;
            }
        }

        return PassesThrough;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Copy.Write(buffer.Span);
        if (await DecideAsync().ConfigureAwait(false))
        {
            await answer.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (await DecideAsync().ConfigureAwait(false))
        {
            await answer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new InvalidOperationException("Synchronous writes are not allowed on an answer; use WriteAsync.");

    // What was written has been passed on or is held; a synchronous flush has nothing it may do here.
    public override void Flush()
    {
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Copy.Dispose();
        }

        base.Dispose(disposing);
    }
}
