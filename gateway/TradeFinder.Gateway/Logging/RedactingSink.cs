using Serilog.Core;
using Serilog.Events;

namespace TradeFinder.Gateway.Logging;

/// <summary>
/// Wraps every Serilog sink: each event is rebuilt with redacted property values (so the rendered message is
/// clean too) and a redacted exception, before any sink sees it.
/// </summary>
internal sealed class RedactingSink(ILogEventSink inner) : ILogEventSink, IDisposable
{
    public void Emit(LogEvent logEvent)
    {
        var properties = logEvent.Properties.Select(p => new LogEventProperty(p.Key, Redact(p.Key, p.Value)));
        var exception = logEvent.Exception is null ? null : new RedactedException(logEvent.Exception);
        inner.Emit(new LogEvent(logEvent.Timestamp, logEvent.Level, exception, logEvent.MessageTemplate, properties, logEvent.TraceId ?? default, logEvent.SpanId ?? default));
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();

    private static LogEventPropertyValue Redact(string name, LogEventPropertyValue value)
    {
        if (Redactor.IsSecretName(name))
        {
            return new ScalarValue(Redactor.Mask);
        }

        if (Redactor.IsSafeName(name))
        {
            return value;
        }

        return value switch
        {
            ScalarValue { Value: string text } => new ScalarValue(Redactor.Redact(text)),
            ScalarValue { Value: Uri uri } => new ScalarValue(Redactor.Redact(uri.ToString())),
            ScalarValue scalar => scalar,
            SequenceValue sequence => new SequenceValue(sequence.Elements.Select(e => Redact("", e))),
            StructureValue structure => new StructureValue(structure.Properties.Select(p => new LogEventProperty(p.Name, Redact(p.Name, p.Value))), structure.TypeTag),
            DictionaryValue dictionary => new DictionaryValue(dictionary.Elements.Select(e =>
                new KeyValuePair<ScalarValue, LogEventPropertyValue>(e.Key, Redact(e.Key.Value?.ToString() ?? "", e.Value)))),
            _ => new ScalarValue(Redactor.Redact(value.ToString())),
        };
    }

    /// <summary>An exception whose message and stack text are redacted; formatters call ToString().</summary>
    private sealed class RedactedException(Exception original) : Exception(Redactor.Redact(original.Message))
    {
        public override string ToString() => Redactor.Redact(original.ToString());

        public override string? StackTrace => Redactor.Redact(original.StackTrace);
    }
}
