use super::round_trip;
use crate::recursion::{
    BinaryOp, Category, Company, Directory, Expr, Label, Literal, Person, TreeNode,
};

#[test]
fn a_self_recursive_struct_nests_directly_and_through_arrays() {
    let tree: TreeNode = round_trip(
        r#"{
            "value": "leaf",
            "parent": {"value": "mid", "parent": {"value": "root"}},
            "children": [{"value": "a", "children": [{"value": "a1"}]}, {"value": "b"}]
        }"#,
    );
    let grandparent = tree.parent.as_ref().and_then(|p| p.parent.as_ref());
    assert_eq!(grandparent.map(|g| g.value.as_str()), Some("root"));
    let children = tree.children.as_ref().expect("children");
    // Through a `Vec` there is no `Box`: the elements are `TreeNode`s.
    let first: &TreeNode = &children[0];
    assert_eq!(
        first.children.as_ref().map(|c| c[0].value.as_str()),
        Some("a1")
    );
}

#[test]
fn building_a_recursive_value_boxes_for_you() {
    let tree = TreeNode::new("child")
        .parent(TreeNode::new("parent"))
        .children(vec![TreeNode::new("grandchild")])
        .category(Category::new("c").parent(Some(Category::new("root"))));
    assert_eq!(
        commet_runtime::serde_json::to_string(&tree).expect("encodes"),
        r#"{"value":"child","parent":{"value":"parent"},"children":[{"value":"grandchild"}],"category":{"name":"c","parent":{"name":"root"}}}"#
    );
}

#[test]
fn a_nullable_self_reference_stops_at_null() {
    let category: Category =
        round_trip(r#"{"name":"shoes","parent":{"name":"clothing","parent":null}}"#);
    let parent = category.parent.flatten().expect("parent");
    assert_eq!(parent.parent, Some(None));
}

#[test]
fn mutually_recursive_structs_nest() {
    let person: Person = round_trip(
        r#"{"name":"Ada","employer":{"name":"ACME","ceo":{"name":"Bob","employer":{"name":"ACME"}}}}"#,
    );
    let ceo = person.employer.ceo.as_ref().expect("ceo");
    assert_eq!(ceo.employer.name, "ACME");
    let built = Person::new(
        "Ada",
        Company::new("ACME").ceo(Person::new("Bob", Company::new("ACME"))),
    );
    assert_eq!(built, person);
}

#[test]
fn recursion_through_a_union_nests() {
    let expr: Expr = round_trip(
        r#"{"op":"add","left":{"op":"lit","value":1.5},"right":{"op":"add","left":{"op":"lit","value":2.25},"right":{"op":"lit","value":2.25}}}"#,
    );
    fn eval(e: &Expr) -> f64 {
        match e {
            Expr::Literal(l) => l.value,
            Expr::BinaryOp(b) => eval(&b.left) + eval(&b.right),
            other => panic!("not an expression this version knows: {other:?}"),
        }
    }
    assert_eq!(eval(&expr), 6.0);
    let built = Expr::BinaryOp(BinaryOp::new(
        "add",
        Expr::Literal(Literal::new("lit", 1.0)),
        Expr::Literal(Literal::new("lit", 2.0)),
    ));
    assert_eq!(eval(&built), 3.0);
}

#[test]
fn recursion_through_a_map_nests() {
    let dir: Directory = round_trip(
        r#"{"name":"/","entries":{"usr":{"name":"usr","entries":{"bin":{"name":"bin"}}}}}"#,
    );
    let usr = &dir.entries.as_ref().expect("entries")["usr"];
    assert_eq!(
        usr.entries.as_ref().map(|e| e["bin"].name.as_str()),
        Some("bin")
    );
}

#[test]
fn a_union_recursing_through_an_array_decodes_and_rejects_cleanly() {
    let label: Label = round_trip(r#"["a", ["b", ["c"]], "d"]"#);
    let Label::Array(items) = &label else {
        panic!("{label:?}");
    };
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[1],
        Label::Array(vec![
            Label::String("b".into()),
            Label::Array(vec![Label::String("c".into())])
        ])
    );
    // A value no alternative accepts is kept where it stands, without endless recursion.
    let label: Label = round_trip("[1]");
    let Label::Array(items) = &label else {
        panic!("{label:?}");
    };
    assert_eq!(
        items[0].unknown().map(|u| u.raw().clone()),
        Some(1.into()),
        "numbers are no labels"
    );
}
