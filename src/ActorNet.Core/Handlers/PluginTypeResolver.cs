using System.Reflection;
using System.Runtime.Loader;

namespace ActorNet.Handlers;

/// <summary>
/// Finds handler types in the assemblies the node references first (<see cref="Type.GetType(string, bool)"/>), then
/// in the <c>actornet.plugins.directory</c> folder: the assembly named by the type ("Namespace.Type, MyHandlers")
/// is loaded from <c>MyHandlers.dll</c> there into one <see cref="AssemblyLoadContext"/> for the node's plugins. A
/// plugin's own dependencies are loaded from the same folder — except assemblies the node already has (ActorNet.Core,
/// Akka, ...): those always come from the node, so a plugin's <c>ConnectionHandler</c> is the node's type even when
/// a copy of ActorNet.Core.dll sits beside the plugin.
/// </summary>
public sealed class PluginTypeResolver : TypeResolver
{
    private readonly PluginLoadContext _context;

    /// <param name="directory">the plugins folder (absolute, or relative to the working directory); it must exist</param>
    public PluginTypeResolver(string directory)
    {
        Directory = Path.GetFullPath(directory);
        _context = new PluginLoadContext(Directory);
    }

    /// <summary>The plugins folder, absolute.</summary>
    public string Directory { get; }

    public override Type? Resolve(string typeName, out string? error)
    {
        var referenced = base.Resolve(typeName, out error);
        if (referenced is not null) return referenced;
        var comma = typeName.IndexOf(',');
        if (comma <= 0) return null;
        var name = typeName[..comma].Trim();
        var assemblyName = typeName[(comma + 1)..].Split(',')[0].Trim();
        var path = Path.Combine(Directory, assemblyName + ".dll");
        if (!File.Exists(path))
        {
            error = $"handler type '{typeName}' not found: the node does not reference {assemblyName} and {path} does not exist";
            return null;
        }

        try
        {
            var assembly = _context.LoadFromAssemblyName(new AssemblyName(assemblyName));
            var type = assembly.GetType(name, throwOnError: false);
            error = type is null ? $"handler type '{name}' not found in {path}" : null;
            return type;
        }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException or FileNotFoundException)
        {
            error = $"cannot load {path}: {e.Message}";
            return null;
        }
    }

    /// <summary>The node's plugins: the folder's assemblies, with the node's own assemblies shared.</summary>
    private sealed class PluginLoadContext(string directory) : AssemblyLoadContext("actornet-plugins")
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // What the node itself has (loaded, or in its deps.json) stays the node's: one ConnectionHandler type.
            if (Default.Assemblies.Any(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), assemblyName))) return null;
            try
            {
                return Default.LoadFromAssemblyName(assemblyName);
            }
            catch (FileNotFoundException)
            {
                var path = Path.Combine(directory, assemblyName.Name + ".dll");
                return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
            }
        }
    }
}
