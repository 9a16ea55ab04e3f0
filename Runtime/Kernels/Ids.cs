namespace KernelGen;

/// <summary>The invocation's global id (WGSL <c>global_invocation_id</c>).</summary>
public readonly record struct ThreadId(int X, int Y, int Z);

/// <summary>The invocation's id inside its workgroup (WGSL <c>local_invocation_id</c>, <c>local_invocation_index</c>).</summary>
public readonly record struct LocalId(int X, int Y, int Z, int Index);

/// <summary>The workgroup's id (WGSL <c>workgroup_id</c>).</summary>
public readonly record struct GroupId(int X, int Y, int Z);

/// <summary>The number of workgroups dispatched (WGSL <c>num_workgroups</c>).</summary>
public readonly record struct GroupCount(int X, int Y, int Z);
