"""classroom-hub: a small xAPI LRS for a class (on the teacher PC), a school or a district."""
