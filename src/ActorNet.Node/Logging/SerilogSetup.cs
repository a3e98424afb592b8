using System.Globalization;
using ActorNet.Config;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace ActorNet.Node.Logging;

/// <summary>Builds the node's Serilog logger from <see cref="LoggingSettings"/>.</summary>
public static class SerilogSetup
{
    /// <summary>Plain-text file: full timestamp, source and every property.</summary>
    public const string FileTemplate =
        "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}";

    /// <summary>Creates the logger: minimum level from settings, Microsoft.* and System.* quieted to Warning.</summary>
    public static Logger CreateLogger(LoggingSettings settings, string nodeName)
    {
        var level = ToSerilog(settings.Level);
        var quiet = level > LogEventLevel.Warning ? level : LogEventLevel.Warning;
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", quiet)
            .MinimumLevel.Override("System", quiet)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Node", nodeName);

        if (settings.Console)
            config.WriteTo.Console(new ConsoleLogFormatter());

        if (settings.File is { Length: > 0 } file)
        {
            if (settings.Json)
                config.WriteTo.File(new CompactJsonFormatter(), file);
            else
                config.WriteTo.File(file, outputTemplate: FileTemplate, formatProvider: CultureInfo.InvariantCulture);
        }

        return config.CreateLogger();
    }

    /// <summary>Maps the configured level to Serilog's.</summary>
    public static LogEventLevel ToSerilog(LogLevelSetting level) => level switch
    {
        LogLevelSetting.Verbose => LogEventLevel.Verbose,
        LogLevelSetting.Debug => LogEventLevel.Debug,
        LogLevelSetting.Information => LogEventLevel.Information,
        LogLevelSetting.Warning => LogEventLevel.Warning,
        LogLevelSetting.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };

    /// <summary>Maps the configured level to <c>akka.loglevel</c> (Akka has no Verbose or Fatal).</summary>
    public static AkkaLogLevel ToAkka(LogLevelSetting level) => level switch
    {
        LogLevelSetting.Verbose or LogLevelSetting.Debug => AkkaLogLevel.DebugLevel,
        LogLevelSetting.Information => AkkaLogLevel.InfoLevel,
        LogLevelSetting.Warning => AkkaLogLevel.WarningLevel,
        _ => AkkaLogLevel.ErrorLevel,
    };
}
