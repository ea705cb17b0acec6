//! The one bit-flag type maker: [`Flags`](crate::Flags), [`PollEvents`](crate::PollEvents) and
//! [`MonitorEvents`](crate::MonitorEvents) are each a table of named bits passed to
//! `bit_flags!`, which writes the same small API for all of them (a `bitflags`-like subset with
//! infallible `from_bits`, as libzmq hands back bits this crate may not name).

/// Makes a `Copy` bit-flag newtype over an integer with named constants, `empty`, `bits`,
/// `from_bits`, `contains`, `intersects`, `is_empty`, and `|`, `|=`, `&`.
macro_rules! bit_flags {
    (
        $(#[$meta:meta])*
        pub struct $name:ident($repr:ty);
        $( $(#[$cmeta:meta])* const $konst:ident = $value:expr; )*
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name($repr);

        impl $name {
            $( $(#[$cmeta])* pub const $konst: $name = $name($value as $repr); )*

            /// No flags.
            pub const fn empty() -> $name {
                $name(0)
            }
            /// The raw bits.
            pub const fn bits(self) -> $repr {
                self.0
            }
            /// Flags from raw bits (bits without a name are kept).
            pub const fn from_bits(bits: $repr) -> $name {
                $name(bits)
            }
            /// Whether every flag of `other` is set.
            pub const fn contains(self, other: $name) -> bool {
                self.0 & other.0 == other.0
            }
            /// Whether any flag of `other` is set.
            pub const fn intersects(self, other: $name) -> bool {
                self.0 & other.0 != 0
            }
            /// Whether no flag is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }
        }

        impl std::ops::BitOr for $name {
            type Output = $name;
            fn bitor(self, rhs: $name) -> $name {
                $name(self.0 | rhs.0)
            }
        }
        impl std::ops::BitOrAssign for $name {
            fn bitor_assign(&mut self, rhs: $name) {
                self.0 |= rhs.0;
            }
        }
        impl std::ops::BitAnd for $name {
            type Output = $name;
            fn bitand(self, rhs: $name) -> $name {
                $name(self.0 & rhs.0)
            }
        }
    };
}
pub(crate) use bit_flags;
