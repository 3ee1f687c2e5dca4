namespace RxNet.Http.Specs.Server;

/// <summary>The non-parallel collection of <see cref="HttpInteropSpecs.Collection"/>.</summary>
[CollectionDefinition(HttpInteropSpecs.Collection, DisableParallelization = true)]
public sealed class HttpInteropRunsAlone;
