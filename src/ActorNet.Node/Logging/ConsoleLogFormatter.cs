using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace ActorNet.Node.Logging;

/// <summary>
/// Human-readable console lines: <c>[12:00:01 INF] message  Listener=echo ConnectionId=7</c>.
/// Properties already shown in the message and bookkeeping properties (Node, SourceContext, thread, ...)
/// are left out so that connection context stays readable.
/// </summary>
public sealed class ConsoleLogFormatter : ITextFormatter
{
    private static readonly HashSet<string> Hidden = new(StringComparer.Ordinal)
    {
        "Node", "SourceContext", "ActorPath", "LogSource", "LogClass", "Thread", "ThreadId", "Timestamp",
        "EventId", "{OriginalFormat}", "Message",
    };

    private readonly MessageTemplateTextFormatter _head;

    /// <summary>Creates a formatter; <paramref name="headTemplate"/> renders everything before the properties.</summary>
    public ConsoleLogFormatter(string headTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}")
    {
        _head = new MessageTemplateTextFormatter(headTemplate, CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public void Format(LogEvent logEvent, TextWriter output)
    {
        _head.Format(logEvent, output);

        var inMessage = logEvent.MessageTemplate.Tokens.OfType<PropertyToken>().Select(t => t.PropertyName).ToHashSet();
        var first = true;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (Hidden.Contains(name) || inMessage.Contains(name))
                continue;
            output.Write(first ? "  " : " ");
            first = false;
            output.Write(name);
            output.Write('=');
            if (value is ScalarValue { Value: string s })
                output.Write(s);
            else
                value.Render(output, null, CultureInfo.InvariantCulture);
        }

        output.WriteLine();
        if (logEvent.Exception is not null)
            output.WriteLine(logEvent.Exception);
    }
}
