using System.Diagnostics;
using System.Runtime.Loader;
using ActorNet.Config;
using ActorNet.Handlers;
using ActorNet.IntegrationTests.EndToEnd;
using ActorNet.IntegrationTests.Support;
using ActorNet.Node.Hosting;
using ActorNet.Testing;
using Xunit;

namespace ActorNet.IntegrationTests.Samples;

/// <summary>actornet.plugins.directory: the sample handler built under another assembly name into a folder of its
/// own (so the node does not reference it) is found there, loaded into the plugin load context, and serves.</summary>
public sealed class PluginLoadingTests : IDisposable
{
    private const string Assembly = "ActorNet.Samples.Plugin";
    private readonly TempDirectory _dir = new();

    /// <summary>Builds src/ActorNet.Samples' sources as a project of its own named <see cref="Assembly"/>, against the
    /// node's ActorNet.Core and Akka (not copied), into a plugins folder that then holds that one DLL.</summary>
    private string BuildSampleAsPlugin()
    {
        var output = Path.Combine(_dir.Path, "plugins");
        var bin = AppContext.BaseDirectory;
        var project = _dir.Write(Assembly + ".csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <AssemblyName>{Assembly}</AssemblyName>
                <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
              </PropertyGroup>
              <ItemGroup>
                <Compile Include="{RepoPaths.File("src/ActorNet.Samples")}/*.cs" />
                <Reference Include="{Path.Combine(bin, "ActorNet.Core.dll")}" Private="false" />
                <Reference Include="{Path.Combine(bin, "Akka.dll")}" Private="false" />
              </ItemGroup>
            </Project>
            """);
        var psi = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "build", project, "-c", "Release", "-nodeReuse:false", "-o", output },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["UseSharedCompilation"] = "false";
        using var build = Process.Start(psi)!;
        var stdout = build.StandardOutput.ReadToEndAsync();
        var stderr = build.StandardError.ReadToEndAsync();
        Assert.True(build.WaitForExit(TimeSpan.FromMinutes(3)), "dotnet build of the sample did not finish");
        Assert.True(build.ExitCode == 0, $"dotnet build failed:\n{stdout.Result}\n{stderr.Result}");
        Assert.True(File.Exists(Path.Combine(output, Assembly + ".dll")));
        Assert.False(File.Exists(Path.Combine(output, "ActorNet.Core.dll")), "the node's own assemblies are not copied");
        return output;
    }

    private static string Hocon(string? plugins) => $$"""
        actornet {
          listeners.kv { bind = "127.0.0.1:0", handler = "ActorNet.Samples.KeyValueHandlerFactory, {{Assembly}}" }
          {{(plugins is null ? "" : $"plugins.directory = \"{plugins}\"")}}
        }
        """;

    private static NodeSettings Load(string hocon)
    {
        var (config, errors) = ConfigSource.Parse(hocon);
        Assert.Empty(errors);
        var loaded = NodeSettingsLoader.Load(config!, NodeHandlers.Catalog);
        Assert.True(loaded.Ok, string.Join("; ", loaded.Errors));
        return loaded.Settings!;
    }

    [Fact(Timeout = 240_000)]
    public async Task A_handler_assembly_in_the_plugins_folder_is_loaded_and_serves()
    {
        var plugins = BuildSampleAsPlugin();

        var without = Load(Hocon(null));
        var problem = Assert.Single(ActorNetNode.Validate(without, NodeHandlers.For(without)));
        Assert.Contains("actornet.plugins.directory", problem.Reason); // not referenced, no folder: not found, and why

        var settings = Load(Hocon(plugins));
        var catalog = NodeHandlers.For(settings);
        Assert.Empty(ActorNetNode.Validate(settings, catalog));
        var factory = catalog.Resolve(settings.Listeners[0], out _)!.Stream!;
        Assert.Equal(Assembly, factory.GetType().Assembly.GetName().Name);
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(factory.GetType().Assembly));
        Assert.Same(typeof(IHandlerFactory).Assembly, factory.GetType().GetInterface(nameof(IHandlerFactory))!.Assembly); // the node's Core

        await using var node = await TestNode.StartAsync(Hocon(plugins), catalog: catalog);
        await using var client = await LineClient.ConnectAsync(node.Endpoint("kv"));
        Assert.Equal("READY kv kv", await client.ReadLineAsync());
        await client.SendLineAsync("SET plugin loaded");
        Assert.Equal("OK", await client.ReadLineAsync());
        await client.SendLineAsync("GET plugin");
        Assert.Equal("VALUE loaded", await client.ReadLineAsync());
    }

    public void Dispose() => _dir.Dispose();
}
