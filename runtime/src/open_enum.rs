//! The trait impls every generated open enum shares.
//!
//! A generated string enum knows only its own values: it writes `as_str` (value → wire text)
//! and `From<&str>` (wire text → value, unknown text kept in `Unknown`). Everything that follows
//! from those two, the same for every enum of every client, is here.

/// Implements `FromStr`, `Display` (honouring width and alignment), `Serialize` and
/// `Deserialize` for an open enum from its `as_str(&self) -> &str` and `From<&str>`.
/// Parsing never fails: unknown values are kept, so `FromStr::Err` is `Infallible`.
#[macro_export]
macro_rules! open_enum_impls {
    ($name:ident) => {
        // The enum may be deprecated; its own impls should not warn about it.
        #[allow(deprecated)]
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(<Self as ::std::convert::From<&str>>::from(value))
            }
        }

        #[allow(deprecated)]
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        #[allow(deprecated)]
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #[allow(deprecated)]
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as $crate::serde::Deserialize>::deserialize(
                    deserializer,
                )?;
                ::std::result::Result::Ok(<Self as ::std::convert::From<&str>>::from(&value))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    /// A hand-written stand-in for a generated enum.
    #[derive(Debug, Clone, PartialEq)]
    enum Kind {
        Link,
        Unknown(String),
    }

    impl Kind {
        fn as_str(&self) -> &str {
            match self {
                Self::Link => "link",
                Self::Unknown(value) => value,
            }
        }
    }

    impl From<&str> for Kind {
        fn from(value: &str) -> Self {
            match value {
                "link" => Self::Link,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }

    crate::open_enum_impls!(Kind);

    #[test]
    fn known_and_unknown_values_round_trip() {
        for (json, kind) in [
            (r#""link""#, Kind::Link),
            (r#""subscription""#, Kind::Unknown("subscription".into())),
        ] {
            let parsed: Kind = serde_json::from_str(json).unwrap();
            assert_eq!(parsed, kind);
            assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
        }
        assert_eq!("link".parse::<Kind>(), Ok(Kind::Link));
        assert_eq!(format!("[{:>6}]", Kind::Link), "[  link]");
        assert!(serde_json::from_str::<Kind>("3").is_err());
    }
}
