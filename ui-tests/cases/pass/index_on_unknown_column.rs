philtre::table! {
    #[index(name)]
    #[unique(id, name)]
    things (id) {
        #[auto_increment]
        id -> Integer,
        #[max_length = 40]
        #[default = "x"]
        name -> Text,
    }
}
use philtre::schema::Table;

fn main() {
    assert_eq!(<things::table as Table>::DESCRIPTION.indexes[0].name, "ix_things_name");
}
