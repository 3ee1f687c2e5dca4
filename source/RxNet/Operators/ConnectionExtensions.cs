namespace RxNet;

/// <summary>Operators over connections and their byte streams.</summary>
public static partial class ConnectionExtensions
{
}
