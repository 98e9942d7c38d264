internal import CLibdw

/// A function DIE (subprogram or inlined subroutine) in an inline chain.
struct DWARFFunction {
    /// Nil when the DIE has no name.
    var name: FunctionName?
    /// For an inlined subroutine, where it was called from in its enclosing function.
    var callSite: SourceLocation?
}

extension FunctionName {
    /// The names of `die`, following `DW_AT_abstract_origin` and `DW_AT_specification`: the linkage name
    /// (mangled) and its demangled form, or the plain name twice; nil when the DIE has no name.
    init?(die: UnsafeMutablePointer<Dwarf_Die>) {
        let linkageName =
            CLibdw_integratedStringAttribute(die, UInt32(DW_AT_linkage_name))
            ?? CLibdw_integratedStringAttribute(die, UInt32(DW_AT_MIPS_linkage_name))
        if let linkageName, linkageName.pointee != 0 {
            let systemName = String(cString: linkageName)
            self.init(function: Demangler.demangle(systemName), systemName: systemName)
        } else if let plainName = dwarf_diename(die), plainName.pointee != 0 {
            let name = String(cString: plainName)
            self.init(function: name, systemName: name)
        } else {
            return nil
        }
    }
}
