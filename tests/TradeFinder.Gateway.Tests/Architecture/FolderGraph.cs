using Mono.Cecil;

namespace TradeFinder.Gateway.Tests.Architecture;

/// <summary>
/// Which folder of a project uses which, read from its compiled assembly: every type named in signatures, fields,
/// attributes, generic arguments and method bodies (so lambdas and async state machines count for the type that
/// wrote them). A folder is the namespace segment after the project's root namespace; "(root)" is that namespace.
/// </summary>
internal sealed class FolderGraph
{
    public const string Root = "(root)";

    private FolderGraph(Dictionary<string, Dictionary<string, HashSet<string>>> edges) => Edges = edges;

    /// <summary>folder → used folder → the types that make the edge ("From → To").</summary>
    public IReadOnlyDictionary<string, Dictionary<string, HashSet<string>>> Edges { get; }

    public IEnumerable<string> Folders => Edges.Keys.Concat(Edges.Values.SelectMany(v => v.Keys)).Distinct().Order(StringComparer.Ordinal);

    public static FolderGraph Read(string assemblyPath, string rootNamespace)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var edges = new Dictionary<string, Dictionary<string, HashSet<string>>>(StringComparer.Ordinal);
        foreach (var type in module.GetTypes())
        {
            if (FolderOf(type, rootNamespace) is not { } from)
            {
                continue;
            }

            foreach (var used in UsedTypes(type))
            {
                if (used.Resolve() is not { } definition || definition.Module != module || FolderOf(definition, rootNamespace) is not { } to || to == from)
                {
                    continue;
                }

                var byTarget = edges.TryGetValue(from, out var existing) ? existing : edges[from] = new(StringComparer.Ordinal);
                (byTarget.TryGetValue(to, out var why) ? why : byTarget[to] = []).Add($"{Outermost(type).Name} → {Outermost(definition).Name}");
            }
        }

        return new FolderGraph(edges);
    }

    public static string? FolderOf(TypeDefinition type, string rootNamespace)
    {
        var outermost = Outermost(type);
        var ns = outermost.Namespace;

        // The entry point of top-level statements has no namespace.
        if (ns == rootNamespace || (ns.Length == 0 && outermost.Name == "Program"))
        {
            return Root;
        }

        return ns.StartsWith(rootNamespace + ".", StringComparison.Ordinal) ? ns[(rootNamespace.Length + 1)..].Split('.')[0] : null;
    }

    /// <summary>The largest set of folders that all reach each other (Tarjan); empty when the graph has no cycle.</summary>
    public IReadOnlyList<string> LargestCycle(ISet<string> ignored)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var largest = new List<string>();
        var counter = 0;

        void Visit(string v)
        {
            index[v] = low[v] = counter++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in Targets(v).Where(w => !ignored.Contains(w)))
            {
                if (index.TryGetValue(w, out var seen))
                {
                    if (onStack.Contains(w))
                    {
                        low[v] = Math.Min(low[v], seen);
                    }
                }
                else
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                if (component.Count > 1 && component.Count > largest.Count)
                {
                    largest = component;
                }
            }
        }

        foreach (var folder in Folders.Where(f => !ignored.Contains(f) && !index.ContainsKey(f)))
        {
            Visit(folder);
        }

        largest.Sort(StringComparer.Ordinal);
        return largest;
    }

    public IEnumerable<string> Targets(string folder) => Edges.TryGetValue(folder, out var targets) ? targets.Keys : [];

    public string Describe(string from, string to) => string.Join(", ", Edges[from][to].Order(StringComparer.Ordinal).Take(6));

    private static TypeDefinition Outermost(TypeDefinition type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static IEnumerable<TypeReference> UsedTypes(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? reference)
        {
            switch (reference)
            {
                case null:
                    return;
                case GenericInstanceType generic:
                    Add(generic.ElementType);
                    generic.GenericArguments.ToList().ForEach(Add);
                    return;
                case TypeSpecification specification:
                    Add(specification.ElementType);
                    return;
                default:
                    found.Add(reference);
                    return;
            }
        }

        void AddAttributes(Mono.Collections.Generic.Collection<CustomAttribute> attributes)
        {
            foreach (var attribute in attributes)
            {
                Add(attribute.AttributeType);
                foreach (var argument in attribute.ConstructorArguments)
                {
                    Add(argument.Value as TypeReference);
                }
            }
        }

        Add(type.BaseType);
        AddAttributes(type.CustomAttributes);
        type.Interfaces.ToList().ForEach(i => Add(i.InterfaceType));
        type.Fields.ToList().ForEach(f => Add(f.FieldType));
        foreach (var property in type.Properties)
        {
            Add(property.PropertyType);
            AddAttributes(property.CustomAttributes);
        }

        foreach (var method in type.Methods)
        {
            Add(method.ReturnType);
            AddAttributes(method.CustomAttributes);
            method.Parameters.ToList().ForEach(p => Add(p.ParameterType));
            if (!method.HasBody)
            {
                continue;
            }

            method.Body.Variables.ToList().ForEach(v => Add(v.VariableType));
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference reference:
                        Add(reference);
                        break;
                    case MethodReference called:
                        Add(called.DeclaringType);
                        Add(called.ReturnType);
                        called.Parameters.ToList().ForEach(p => Add(p.ParameterType));
                        if (called is GenericInstanceMethod generic)
                        {
                            generic.GenericArguments.ToList().ForEach(Add);
                        }

                        break;
                    case FieldReference field:
                        Add(field.DeclaringType);
                        Add(field.FieldType);
                        break;
                }
            }
        }

        return found;
    }
}
