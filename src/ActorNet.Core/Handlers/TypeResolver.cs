namespace ActorNet.Handlers;

/// <summary>Finds a handler type by its assembly-qualified name among the assemblies the application references
/// (<see cref="Type.GetType(string, bool)"/>).</summary>
public class TypeResolver
{
    /// <summary>Referenced assemblies only.</summary>
    public static TypeResolver Default { get; } = new();

    /// <summary>The type named <paramref name="typeName"/> ("Namespace.Type, Assembly"), or null with the reason.</summary>
    public virtual Type? Resolve(string typeName, out string? error)
    {
        error = null;
        try
        {
            var type = Type.GetType(typeName, throwOnError: false);
            if (type is null) error = $"handler type '{typeName}' not found (give \"Namespace.Type, Assembly\"; an assembly the node does not reference goes in actornet.plugins.directory)";
            return type;
        }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException or ArgumentException)
        {
            error = $"cannot load handler type '{typeName}': {e.Message}";
            return null;
        }
    }
}
